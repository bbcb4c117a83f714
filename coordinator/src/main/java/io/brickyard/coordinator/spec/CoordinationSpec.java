package io.brickyard.coordinator.spec;

import java.util.List;

/**
 * The spec's {@code coordination:} section (issue 11, docs/ha.md): the ZooKeeper ensemble that holds
 * VIP ownership and elects the coordinator leader, the session timeout, and the failback policy.
 * Every default applied by {@link CoordinationMapper}; rules in {@link CoordinationRules}.
 */
public record CoordinationSpec(List<Member> members, int sessionTimeoutSeconds, Failback failback,
    int failbackDelaySeconds) {
  public static final int DEFAULT_SESSION_TIMEOUT_SECONDS = 6;
  public static final int DEFAULT_FAILBACK_DELAY_SECONDS = 30;

  public CoordinationSpec {
    members = List.copyOf(members);
  }

  /** One ZooKeeper member: its id (ZooKeeper's myid) and the address it serves on. */
  public record Member(int id, String address) {}

  public enum Failback {
    AUTO, MANUAL;

    public String yamlName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** {@code 1=10.77.0.11,...}: the form the agent's {@code --zookeeper} and the member launcher take. */
  public String membersText() {
    return String.join(",", members.stream().map(m -> m.id() + "=" + m.address()).toList());
  }
}
