package io.brickyard.agent.nfs;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import io.brickyard.agent.dbus.Busctl;
import io.brickyard.agent.dbus.BusctlJson;
import io.brickyard.agent.op.Operation;
import io.brickyard.agent.op.OperationFailedException;
import io.brickyard.common.exec.Command;
import io.brickyard.common.exec.CommandFailedException;
import io.brickyard.common.exec.CommandResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * NFS-Ganesha's D-Bus API (bus name org.ganesha.nfsd, system bus; nfs-ganesha 4.3's
 * src/support/export_mgr.c and src/MainNFSD/nfs_admin_thread.c), over the agent's one busctl
 * path ({@link Busctl}). Reads go through {@link Operation#read}, changes through
 * {@link Operation#change}, so a dry run records the exact calls and sends none.
 *
 * <p>The export manager runs one admin operation at a time and answers any other with
 * "another export admin operation is in progress, try again later": those calls are retried.
 */
final class GaneshaBus {
  static final String DEST = "org.ganesha.nfsd";
  static final String EXPORT_PATH = "/org/ganesha/nfsd/ExportMgr";
  static final String EXPORT_IFACE = "org.ganesha.nfsd.exportmgr";
  static final String ADMIN_PATH = "/org/ganesha/nfsd/admin";
  static final String ADMIN_IFACE = "org.ganesha.nfsd.admin";
  static final String SHOW_EXPORTS_TYPE = "(tt)a(qs((sb)(sb)(sb)(sb)(sb)(sb)(sb)(sb))(tt))";
  static final String BUSY = "another export admin operation is in progress";
  /** Backoff between attempts of a busy export admin call: about 4 s in all. */
  static final List<Duration> BUSY_BACKOFF = List.of(Duration.ofMillis(100), Duration.ofMillis(250),
      Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2));

  /** One live export as ShowExports lists it (with mount_path_pseudo, the path is the pseudo path). */
  record Live(int id, String path) {}

  /** get_grace's answer. */
  record Grace(boolean inGrace) {}

  private final Operation op;
  private final Sleeper sleeper;

  GaneshaBus(Operation op) {
    this(op, d -> Thread.sleep(d.toMillis()));
  }

  GaneshaBus(Operation op, Sleeper sleeper) {
    this.op = op;
    this.sleeper = sleeper;
  }

  /** How to wait between retries (tests do not wait). */
  @FunctionalInterface
  interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  static Command exportCall(String method, String... sigAndArgs) {
    return Busctl.call(DEST, EXPORT_PATH, EXPORT_IFACE, method, sigAndArgs);
  }

  static Command adminCall(String method, String... sigAndArgs) {
    return Busctl.call(DEST, ADMIN_PATH, ADMIN_IFACE, method, sigAndArgs);
  }

  /** The selector AddExport/UpdateExport use to pick the block from the file. */
  static String exportSelector(int id) {
    return "EXPORT(Export_Id=" + id + ")";
  }

  /** ganesha's in-grace state, or the failed read (ganesha not on the bus, no bus) for the caller to report. */
  CommandResult readGrace() {
    return op.read(adminCall("get_grace"));
  }

  List<Live> showExports() {
    return parseShowExports(op.readChecked(exportCall("ShowExports")).stdout());
  }

  void addExport(Path file, int id) {
    changeRetryingBusy(exportCall("AddExport", "ss", file.toString(), exportSelector(id)));
  }

  void updateExport(Path file, int id) {
    changeRetryingBusy(exportCall("UpdateExport", "ss", file.toString(), exportSelector(id)));
  }

  void removeExport(int id) {
    changeRetryingBusy(exportCall("RemoveExport", "q", Integer.toString(id)));
  }

  /** Sends "EVENT:IP" (admin.grace); ganesha answers (bs): success and a message. */
  void grace(int event, String address) {
    CommandResult r = op.change(adminCall("grace", "s", event + ":" + address));
    if (!op.dryRun()) {
      JsonArray out = BusctlJson.outArgs(r.stdout(), "bs");
      if (!out.get(0).getAsBoolean()) {
        throw new OperationFailedException("ganesha refused grace event '" + event + ":" + address + "': "
            + out.get(1).getAsString());
      }
    }
  }

  private void changeRetryingBusy(Command c) {
    for (int attempt = 0; ; attempt++) {
      try {
        op.change(c);
        return;
      } catch (CommandFailedException e) {
        if (attempt >= BUSY_BACKOFF.size() || !busy(e.result())) {
          throw e;
        }
        op.warn("ganesha: " + BUSY + "; retried " + c.argv().get(c.argv().indexOf("call") + 4));
        try {
          sleeper.sleep(BUSY_BACKOFF.get(attempt));
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  static boolean busy(CommandResult r) {
    return !r.ok() && !r.timedOut() && r.stderr().contains(BUSY);
  }

  /** busctl's error when nobody owns ganesha's bus name: ganesha is not running (or not on this bus). */
  static boolean notOnBus(CommandResult r) {
    return !r.ok() && r.stderr().contains("\"" + DEST + "\" does not exist");
  }

  /**
   * get_grace: out-arguments (b isgrace, b success, s message). Order from nfs_admin_thread.c
   * (the in-grace flag is appended first, then the status reply), confirmed on a real ganesha.
   */
  static Grace parseGetGrace(String json) {
    JsonArray out = BusctlJson.outArgs(json, "bbs");
    if (!out.get(1).getAsBoolean()) {
      throw new IllegalStateException("ganesha get_grace failed: " + out.get(2).getAsString());
    }
    return new Grace(out.get(0).getAsBoolean());
  }

  /** ShowExports: ((tt) timestamp, a(q id, s path, (sb)x8 protocols used, (tt) last update)). */
  static List<Live> parseShowExports(String json) {
    JsonArray out = BusctlJson.outArgs(json, SHOW_EXPORTS_TYPE);
    List<Live> live = new ArrayList<>();
    for (JsonElement e : out.get(1).getAsJsonArray()) {
      JsonArray x = e.getAsJsonArray();
      live.add(new Live(x.get(0).getAsInt(), x.get(1).getAsString()));
    }
    return live;
  }
}
