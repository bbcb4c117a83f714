package io.brickyard.cli.lab;

import io.brickyard.common.exec.Daemons;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code lab up --ha}'s standby coordinator on a host of its own, {@code coord2} (10.77.0.2): a network,
 * mount and UTS namespace built as the other lab hosts are, with only the coordinator in it (no
 * agent, glusterd, ganesha or firewalld: a coordinator host runs none of them). Its own address is what
 * issue 11 asks for: the leader's and the standby's host can fail independently (kill -9 of either, a
 * link down), and the CLI reaches the standby the way it reaches a remote coordinator, over mTLS to an
 * address its certificate carries. The host's certificate is {@code coordinator2} (role coordinator,
 * 10.77.0.2), installed as {@code /etc/brickyard/tls/coordinator.*} as a package would.
 */
final class LabStandby {
  static final String NAME = "coord2";
  static final String ID = "coordinator2";
  static final int PORT = 7444;
  static final int METRICS_PORT = 9465;
  /** Inside the host: its private /var/lib/brickyard (LabHostFs.PRIVATE_DIRS). */
  static final String STATE_DIR = "/var/lib/brickyard/coordinator";

  private final LabLayout layout;
  private final LabHost host;

  LabStandby(LabLayout layout) {
    this.layout = layout;
    this.host = host(layout);
  }

  /** The host record: not one of {@link LabLayout#hosts()}, which are the storage and client hosts. */
  static LabHost host(LabLayout layout) {
    return new LabHost(NAME, layout.subnetPrefix() + ".2", false, layout.nsDir(), layout.root().resolve("hosts").resolve(NAME),
        List.of());
  }

  /** The standby's API address, also its advertised address in the election. */
  static String listen(LabLayout layout) {
    return host(layout).ip() + ":" + PORT;
  }

  /**
   * Network and filesystem, its certificate (issued by {@code Lab.certs} as {@link #ID}) and the
   * coordinator's node list {@code nodesConf} (the same storage hosts as the leader's).
   */
  void create(LabNetwork net, LabHostFs hostFs, LabState st, String hostsFile, Path nodesConf) throws IOException {
    net.createHost(host);
    st.addTo("hosts", NAME);
    hostFs.create(host, hostsFile);
    Path tls = Files.createDirectories(host.etc("brickyard").resolve("tls"));
    Files.copy(layout.tlsDir().resolve("ca.crt"), tls.resolve("ca.crt"), StandardCopyOption.REPLACE_EXISTING);
    for (String ext : List.of(".crt", ".key")) {
      Files.copy(layout.tlsDir().resolve(ID + ext), tls.resolve("coordinator" + ext), StandardCopyOption.REPLACE_EXISTING);
    }
    Path state = Files.createDirectories(host.fs("/var/lib/brickyard").resolve("coordinator"));
    Files.copy(nodesConf, state.resolve("nodes.conf"), StandardCopyOption.REPLACE_EXISTING);
  }

  /** Starts the standby coordinator in the host; its log is {@code logs/coordinator2.log}. */
  Process start(Path coordinatorJar, String members) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Jars.java()));
    cmd.addAll(Jars.COORDINATOR_JVM);
    cmd.addAll(List.of("-jar", coordinatorJar.toString(), "--listen", listen(layout),
        "--tls-dir", "/etc/brickyard/tls", "--tls-name", "coordinator", "--state-dir", STATE_DIR,
        "--metrics-listen", host.ip() + ":" + METRICS_PORT, "--admin-socket", "none",
        "--zookeeper", members, "--coordinator-id", ID));
    return Daemons.spawn(Sys.in(host, cmd.toArray(String[]::new)), log(), Map.of());
  }

  Path log() {
    return layout.logDir().resolve(ID + ".log");
  }

  LabHost host() {
    return host;
  }
}
