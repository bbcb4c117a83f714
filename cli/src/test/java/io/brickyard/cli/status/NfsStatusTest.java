package io.brickyard.cli.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.brickyard.api.agent.v1.LiveExport;
import io.brickyard.api.coordinator.v1.ClusterStatus;
import io.brickyard.api.coordinator.v1.CoordinatorServiceGrpc;
import io.brickyard.api.coordinator.v1.NfsNodeView;
import io.brickyard.api.coordinator.v1.NfsView;
import io.brickyard.api.coordinator.v1.NodeView;
import io.brickyard.api.coordinator.v1.StatusRequest;
import io.brickyard.api.coordinator.v1.VipView;
import io.brickyard.cli.CliRun;
import io.brickyard.cli.FakeCoordinator;
import io.grpc.stub.StreamObserver;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The NFS service in {@code status} and {@code vip list}: text, JSON and the exit code as a health check. */
class NfsStatusTest {
  static final String SPEC = Path.of("..", "examples", "lab.yaml").toString();

  @TempDir Path dir;
  final List<StatusRequest> requests = new CopyOnWriteArrayList<>();

  static NfsNodeView up(String node, boolean grace, int... exportIds) {
    NfsNodeView.Builder b = NfsNodeView.newBuilder().setNode(node).setReachable(true).setGaneshaUp(true).setInGrace(grace);
    for (int id : exportIds) {
      b.addExports(LiveExport.newBuilder().setExportId(id).setPseudoPath("/vol" + id));
    }
    return b.build();
  }

  static VipView vip(String address, String home, String... holders) {
    return VipView.newBuilder().setAddress(address).setHome(home).addAllHolders(List.of(holders)).build();
  }

  /** Two reachable nodes, no volumes: the NFS view alone decides the health. */
  static ClusterStatus status(NfsView nfs) {
    return ClusterStatus.newBuilder()
        .addNodes(NodeView.newBuilder().setName("gluster1").setAddress("10.77.0.11:7443").setReachable(true))
        .addNodes(NodeView.newBuilder().setName("gluster2").setAddress("10.77.0.12:7443").setReachable(true))
        .setNfs(nfs).build();
  }

  static final NfsView HEALTHY = NfsView.newBuilder().addNodes(up("gluster1", false, 1, 2)).addNodes(up("gluster2", true, 1, 2))
      .addVips(vip("10.77.0.201/24", "gluster1", "gluster1")).addVips(vip("10.77.0.202/24", "gluster2", "gluster2")).build();

  private FakeCoordinator coordinator(ClusterStatus answer) throws Exception {
    return FakeCoordinator.serve(dir, new CoordinatorServiceGrpc.CoordinatorServiceImplBase() {
      @Override
      public void status(StatusRequest rq, StreamObserver<ClusterStatus> out) {
        requests.add(rq);
        out.onNext(answer);
        out.onCompleted();
      }
    });
  }

  private static String text(NfsView nfs) {
    StringWriter w = new StringWriter();
    NfsStatusText.print(nfs, new PrintWriter(w, true));
    return w.toString();
  }

  @Test
  void eachNfsNodeShowsGaneshaItsRestartAndExportsAndEachVipItsHolders() {
    NfsView nfs = NfsView.newBuilder()
        .addNodes(up("gluster1", true, 1, 2).toBuilder().setRestartRequired(true).build())
        .addNodes(NfsNodeView.newBuilder().setNode("gluster2").setReachable(true)
            .setDetail("ganesha is not on the system bus (not running)"))
        .addNodes(NfsNodeView.newBuilder().setNode("gluster3").setDetail("connection refused"))
        .addVips(vip("10.77.0.201/24", "gluster1", "gluster1"))
        .addVips(vip("10.77.0.202/24", "gluster2"))
        .addVips(vip("10.77.0.203/24", "gluster3", "gluster1", "gluster2"))
        .addVips(vip("10.77.0.204/24", "gluster3", "gluster1")).build();
    assertThat(text(nfs)).isEqualTo("""
        NFS
          gluster1   ganesha up (in grace)
                     restart required: ganesha runs an older main configuration (restarting puts clients in grace)
                     exports /vol1 (id 1), /vol2 (id 2)
          gluster2   ganesha DOWN: ganesha is not on the system bus (not running)
          gluster3   UNREACHABLE: connection refused
        VIRTUAL IPS
          10.77.0.201/24  home gluster1  held by gluster1
          10.77.0.202/24  home gluster2  NOT HELD
          10.77.0.203/24  home gluster3  HELD BY 2 NODES: gluster1, gluster2
          10.77.0.204/24  home gluster3  held by gluster1 (away from home; 'brickyard vip move 10.77.0.204 --to gluster3' \
        or 'brickyard apply --move-vips' moves it back)
        """);
    assertThat(NfsStatusText.healthy(nfs)).isFalse();
    assertThat(text(HEALTHY)).contains("  gluster1   ganesha up\n             exports /vol1 (id 1), /vol2 (id 2)\n");
    assertThat(NfsStatusText.healthy(HEALTHY)).isTrue();
  }

  @Test
  void statusPrintsTheNfsViewAndExitsZeroWhenItIsHealthy() throws Exception {
    try (FakeCoordinator c = coordinator(status(HEALTHY))) {
      CliRun r = c.run("status", "-f", SPEC);
      assertThat(r.code()).as(r.out() + r.err()).isZero();
      assertThat(r.out()).contains("\nNFS\n  gluster1   ganesha up\n")
          .contains("\nVIRTUAL IPS\n  10.77.0.201/24  home gluster1  held by gluster1\n");
      CliRun noNfs = c.run("status");
      assertThat(noNfs.code()).isZero();
    }
    assertThat(requests.get(0).getSpecYaml()).contains("name: lab");
  }

  @Test
  void statusExitsOneWhenGaneshaIsDownOrAVipHasNoHolderOrTwo() throws Exception {
    NfsView down = HEALTHY.toBuilder().setNodes(1, NfsNodeView.newBuilder().setNode("gluster2").setReachable(true)
        .setDetail("not running")).build();
    NfsView unheld = HEALTHY.toBuilder().setVips(1, vip("10.77.0.202/24", "gluster2")).build();
    NfsView twice = HEALTHY.toBuilder().setVips(0, vip("10.77.0.201/24", "gluster1", "gluster1", "gluster2")).build();
    NfsView away = HEALTHY.toBuilder().setVips(0, vip("10.77.0.201/24", "gluster1", "gluster2")).build();
    for (NfsView bad : List.of(down, unheld, twice)) {
      try (FakeCoordinator c = coordinator(status(bad))) {
        CliRun r = c.run("status", "-f", SPEC);
        assertThat(r.code()).as(r.out()).isEqualTo(1);
      }
    }
    // served, only elsewhere: not an outage (apply --move-vips or vip move brings it home)
    try (FakeCoordinator c = coordinator(status(away))) {
      assertThat(c.run("status", "-f", SPEC).code()).isZero();
    }
  }

  @Test
  void statusJsonIncludesTheNfsView() throws Exception {
    try (FakeCoordinator c = coordinator(status(HEALTHY))) {
      CliRun r = c.run("status", "-f", SPEC, "-o", "json");
      assertThat(r.code()).isZero();
      JsonObject nfs = JsonParser.parseString(r.out()).getAsJsonObject().getAsJsonObject("nfs");
      assertThat(nfs.getAsJsonArray("nodes")).hasSize(2);
      JsonObject g1 = nfs.getAsJsonArray("nodes").get(0).getAsJsonObject();
      assertThat(g1.get("ganeshaUp").getAsBoolean()).isTrue();
      assertThat(g1.get("inGrace").getAsBoolean()).isFalse();
      assertThat(g1.get("restartRequired").getAsBoolean()).isFalse();
      assertThat(g1.getAsJsonArray("exports").get(1).getAsJsonObject().get("pseudoPath").getAsString()).isEqualTo("/vol2");
      assertThat(nfs.getAsJsonArray("vips").get(1).getAsJsonObject().getAsJsonArray("holders").get(0).getAsString())
          .isEqualTo("gluster2");
    }
  }

  @Test
  void vipListShowsEachVipAndExitsOneWhenOneIsNotHeld() throws Exception {
    try (FakeCoordinator c = coordinator(status(HEALTHY))) {
      CliRun r = c.run("vip", "list", "-f", SPEC);
      assertThat(r.code()).isZero();
      assertThat(r.out()).isEqualTo("10.77.0.201/24  home gluster1  held by gluster1\n"
          + "10.77.0.202/24  home gluster2  held by gluster2\n");
      CliRun json = c.run("vip", "list", "-f", SPEC, "-o", "json");
      assertThat(JsonParser.parseString(json.out()).getAsJsonObject().getAsJsonArray("vips")).hasSize(2);
    }
    assertThat(requests.get(0).getSpecYaml()).contains("name: lab");
    try (FakeCoordinator c = coordinator(status(HEALTHY.toBuilder().setVips(1, vip("10.77.0.202/24", "gluster2")).build()))) {
      CliRun r = c.run("vip", "list", "-f", SPEC);
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.out()).contains("10.77.0.202/24  home gluster2  NOT HELD\n");
    }
  }

  @Test
  void vipListOfASpecWithoutNfsIsBadInput() throws Exception {
    try (FakeCoordinator c = coordinator(status(HEALTHY).toBuilder().clearNfs().build())) {
      CliRun r = c.run("vip", "list", "-f", SPEC);
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).endsWith("brickyard: " + SPEC + " has no nfs section: there are no virtual IPs\n");
    }
  }
}
