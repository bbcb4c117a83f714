package io.brickyard.coordinator.spec;

import static io.brickyard.coordinator.spec.YamlReader.at;

import io.brickyard.coordinator.spec.CoordinationSpec.Failback;
import io.brickyard.coordinator.spec.CoordinationSpec.Member;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Maps the {@code coordination:} section, applying every default (session timeout 6 s, failback
 * auto after 30 s), so a spec that leaves a value out and one that spells the default are equal.
 * Ranges, duplicates and the member-count warnings are {@link CoordinationRules}'.
 */
final class CoordinationMapper {
  static final List<String> FIELDS = List.of("members", "sessionTimeout", "failback", "failbackDelay");
  static final List<String> MEMBER_FIELDS = List.of("id", "address");

  private final YamlReader r;

  CoordinationMapper(YamlReader r) {
    this.r = r;
  }

  /** Optional.empty() when absent (no automatic failover), null when broken (reported). */
  Optional<CoordinationSpec> coordination(Object value, String path) {
    if (value == null) {
      return Optional.empty();
    }
    Map<String, Object> m = r.mapping(value, path);
    if (m == null) {
      return null;
    }
    r.onlyKnown(m, path, FIELDS);
    List<Object> l = r.list(m, "members", path, true);
    List<Member> members = new ArrayList<>();
    boolean ok = l != null;
    if (l != null) {
      for (int i = 0; i < l.size(); i++) {
        String p = at(at(path, "members"), i);
        Map<String, Object> mm = r.mapping(l.get(i), p);
        if (mm == null) {
          ok = false;
          continue;
        }
        r.onlyKnown(mm, p, MEMBER_FIELDS);
        Integer id = r.integer(mm, "id", p, true);
        String address = r.string(mm, "address", p, true);
        if (id == null || address == null) {
          ok = false;
          continue;
        }
        members.add(new Member(id, address));
      }
    }
    Integer session = r.integer(m, "sessionTimeout", path, false);
    Integer delay = r.integer(m, "failbackDelay", path, false);
    String fb = r.string(m, "failback", path, false);
    Failback failback = Failback.AUTO;
    if (fb != null) {
      failback = switch (fb) {
        case "auto" -> Failback.AUTO;
        case "manual" -> Failback.MANUAL;
        default -> {
          r.error(at(path, "failback"), "expected auto or manual, got '" + fb + "'");
          yield null;
        }
      };
    }
    if (!ok || failback == null || m.get("sessionTimeout") != null && session == null
        || m.get("failbackDelay") != null && delay == null || m.get("failback") != null && fb == null) {
      return null;
    }
    return Optional.of(new CoordinationSpec(members,
        session == null ? CoordinationSpec.DEFAULT_SESSION_TIMEOUT_SECONDS : session, failback,
        delay == null ? CoordinationSpec.DEFAULT_FAILBACK_DELAY_SECONDS : delay));
  }
}
