package io.brickyard.agent.firewall;

import io.brickyard.agent.dbus.Busctl;
import io.brickyard.agent.dbus.BusctlJson;
import io.brickyard.agent.op.Operation;
import io.brickyard.common.exec.Command;
import io.brickyard.common.exec.CommandResult;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Reads firewalld's state through its own D-Bus API with systemd's {@code busctl} (a small C
 * program, a few ms a call, present on RHEL and Debian alike) instead of firewall-cmd (a Python
 * start-up, ~0.4 s CPU a call); its changes are {@link FirewallBusEdits}. Method names are firewalld 1.x's (firewall/server/firewalld.py
 * and config*.py): the runtime lives on /org/fedoraproject/FirewallD1, the permanent
 * configuration on /org/fedoraproject/FirewallD1/config and one object per zone below it.
 *
 * <p>{@code --auto-start=no}: a read must never start firewalld through D-Bus activation; a
 * stopped firewalld is reported as not running, exactly like {@code firewall-cmd --state}.
 */
final class FirewallBus implements FirewallReads {
  static final String DEST = "org.fedoraproject.FirewallD1";
  static final String PATH = "/org/fedoraproject/FirewallD1";
  static final String CONFIG_PATH = PATH + "/config";
  static final String IFACE = DEST;
  static final String ZONE_IFACE = DEST + ".zone";
  static final String CONFIG_IFACE = DEST + ".config";
  static final String CONFIG_ZONE_IFACE = DEST + ".config.zone";
  static final int NOT_INSTALLED = Busctl.NOT_INSTALLED;

  private final Operation op;
  /** The state read made by {@link #available()}, consumed by the first {@link #running()}. */
  private CommandResult state;
  /** getDefaultZone, asked beside that state read; consumed by the first {@link #defaultZone()}. */
  private CommandResult defaultZoneRead;
  /**
   * Zone name to its configuration object path, as read by this request (this object lives for
   * one request): the permanent rule read and the permanent edits use the same getZoneByName.
   * Concurrent: the permanent read runs beside the runtime one ({@link BothReads}).
   */
  private final Map<String, String> zonePaths = new ConcurrentHashMap<>();

  FirewallBus(Operation op) {
    this.op = op;
  }

  static Command call(String path, String iface, String method, String... sigAndArgs) {
    return Busctl.call(DEST, path, iface, method, sigAndArgs);
  }

  /** The property firewall-cmd --state prints from: RUNNING, INIT or FAILED. */
  static Command stateCommand() {
    return Busctl.command("get-property", DEST, PATH, IFACE, "state");
  }

  /**
   * Reads the state property (this request's first read, so probing costs nothing extra); false
   * only when busctl itself is missing. Any other failure (no bus, no firewalld) is for
   * {@link #running()} to report. The default zone, which nearly every request asks next, is read
   * side by side with it: one busctl round trip less on the path of every firewall step (its
   * answer is simply dropped when firewalld turns out not to run, or the request names a zone).
   */
  boolean available() {
    BothReads.Both<CommandResult, CommandResult> first =
        BothReads.of(() -> op.read(stateCommand()), () -> op.read(call(PATH, IFACE, "getDefaultZone")));
    state = first.first();
    defaultZoneRead = first.second();
    return !(state.exitCode() == NOT_INSTALLED && !state.timedOut());
  }

  /** busctl calls cost milliseconds: worth asking ahead for what a request will probably need. */
  @Override
  public boolean cheapReads() {
    return true;
  }

  /** No bus, no firewalld on the bus, or not (yet) RUNNING: all "not running". */
  @Override
  public boolean running() {
    CommandResult r = state != null ? state : op.read(stateCommand());
    state = null;
    return r.ok() && "RUNNING".equals(BusctlJson.string(r.stdout()));
  }

  @Override
  public String defaultZone() {
    CommandResult early = defaultZoneRead;
    defaultZoneRead = null;
    if (early != null && early.ok()) {
      return BusctlJson.string(early.stdout());
    }
    return BusctlJson.string(read(call(PATH, IFACE, "getDefaultZone")));
  }

  @Override
  public Set<String> zones(boolean permanent) {
    return new LinkedHashSet<>(BusctlJson.strings(read(permanent ? call(CONFIG_PATH, CONFIG_IFACE, "getZoneNames")
        : call(PATH, ZONE_IFACE, "getZones"))));
  }

  @Override
  public Set<String> services(boolean permanent) {
    return new LinkedHashSet<>(BusctlJson.strings(read(permanent ? call(CONFIG_PATH, CONFIG_IFACE, "getServiceNames")
        : call(PATH, IFACE, "listServices"))));
  }

  /**
   * firewalld's queryRichRule is {@code str(Rich_Rule(rule)) in zone's rules}: the stored rules are
   * already in that printed form, and {@link RichRule#toString()} renders exactly that form
   * (proved against firewalld's own output in tests), so set membership is the same test, with
   * one read per zone and configuration instead of one firewall-cmd per rule.
   */
  @Override
  public Predicate<RichRule> richRules(String zone, boolean permanent) {
    Set<String> rules = new LinkedHashSet<>(listRichRules(zone, permanent));
    return rule -> rules.contains(rule.toString());
  }

  @Override
  public List<String> listRichRules(String zone, boolean permanent) {
    if (!permanent) {
      return BusctlJson.strings(read(call(PATH, ZONE_IFACE, "getRichRules", "s", zone)));
    }
    return BusctlJson.strings(read(call(zonePath(zone), CONFIG_ZONE_IFACE, "getRichRules")));
  }

  /** The zone's permanent configuration object, e.g. /org/fedoraproject/FirewallD1/config/zone/6. */
  String zonePath(String zone) {
    return zonePaths.computeIfAbsent(zone, z ->
        BusctlJson.objectPath(read(call(CONFIG_PATH, CONFIG_IFACE, "getZoneByName", "s", z))));
  }

  @Override
  public FirewallEdits edits() {
    return new FirewallBusEdits(this);
  }

  /** Sorted by name, as firewall-cmd --list-services prints them (D-Bus gives insertion order). */
  @Override
  public List<String> zoneServices(String zone) {
    return BusctlJson.strings(read(call(PATH, ZONE_IFACE, "getServices", "s", zone))).stream().sorted().toList();
  }

  /** Sorted by protocol, then first port, as firewall-cmd --list-ports prints them. */
  @Override
  public List<String> zonePorts(String zone) {
    return sortPorts(BusctlJson.ports(read(call(PATH, ZONE_IFACE, "getPorts", "s", zone))));
  }

  static List<String> sortPorts(List<String> ports) {
    return ports.stream().sorted(Comparator.comparing((String p) -> p.substring(p.indexOf('/') + 1))
        .thenComparingInt(p -> Integer.parseInt(p.substring(0, p.indexOf('/')).split("-")[0]))).toList();
  }

  private String read(Command c) {
    return op.readChecked(c).stdout();
  }
}
