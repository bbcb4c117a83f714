package io.brickyard.agent.gluster;

import static io.brickyard.agent.testlab.ScriptedRunner.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickyard.api.agent.v1.EnsureVolumeRequest;
import io.brickyard.api.agent.v1.GlusterVolume;
import java.util.List;
import org.junit.jupiter.api.Test;

class VolumeLayoutTest {
  private static final String B1 = "nsvc1:/tmp/netsvc-lab/w/h1/bricks/vol1";
  private static final String B2 = "nsvc2:/tmp/netsvc-lab/w/h2/bricks/vol1";

  private static EnsureVolumeRequest.Builder replica2() {
    return EnsureVolumeRequest.newBuilder().setName("vol1").setType("replicate").setReplica(2).setTransport("tcp")
        .addBricks(B1).addBricks(B2);
  }

  private static GlusterVolume vol(String fixtureName, String name) {
    return VolumeXml.parseInfo(fixture(fixtureName)).stream().filter(v -> v.getName().equals(name)).findFirst()
        .orElseThrow();
  }

  @Test
  void createArgvForEachType() {
    assertThat(VolumeLayout.of(replica2().build()).createArgs())
        .containsExactly("volume", "create", "vol1", "replica", "2", "transport", "tcp", B1, B2);
    assertThat(VolumeLayout.of(EnsureVolumeRequest.newBuilder().setName("a").setType("arbiter").setReplica(3)
        .setArbiter(1).addBricks("h1:/b/a").addBricks("h2:/b/a").addBricks("h3:/b/a").setForce(true).build())
        .createArgs()).containsExactly("volume", "create", "a", "replica", "3", "arbiter", "1", "transport", "tcp",
            "h1:/b/a", "h2:/b/a", "h3:/b/a", "force");
    assertThat(VolumeLayout.of(EnsureVolumeRequest.newBuilder().setName("e").setType("disperse").setDisperse(3)
        .setRedundancy(1).addBricks("h1:/b/e").addBricks("h2:/b/e").addBricks("h3:/b/e").build()).createArgs())
        .containsExactly("volume", "create", "e", "disperse", "3", "redundancy", "1", "transport", "tcp",
            "h1:/b/e", "h2:/b/e", "h3:/b/e");
    assertThat(VolumeLayout.of(EnsureVolumeRequest.newBuilder().setName("d").setType("distribute")
        .addBricks("h1:/b/d").build()).createArgs()).containsExactly("volume", "create", "d", "transport", "tcp", "h1:/b/d");
  }

  @Test
  void sameLayoutAsRealVolumesHasNoDifferences() {
    assertThat(VolumeLayout.of(replica2().build()).differences(vol("gluster/volume-info.started.xml", "vol1"))).isEmpty();
    String w = "/tmp/netsvc-lab/w/";
    EnsureVolumeRequest arb = EnsureVolumeRequest.newBuilder().setName("varb").setType("arbiter").setReplica(3)
        .setArbiter(1).addBricks("nsvc1:" + w + "h1/bricks/arb1").addBricks("nsvc2:" + w + "h2/bricks/arb2")
        .addBricks("nsvc1:" + w + "h1/bricks/arb3").setForce(true).build();
    assertThat(VolumeLayout.of(arb).differences(vol("gluster/volume-info.many.xml", "varb"))).isEmpty();
    EnsureVolumeRequest ec = EnsureVolumeRequest.newBuilder().setName("vec").setType("disperse").setDisperse(3)
        .setRedundancy(1).addBricks("nsvc1:" + w + "h1/bricks/ec1").addBricks("nsvc2:" + w + "h2/bricks/ec2")
        .addBricks("nsvc1:" + w + "h1/bricks/ec3").setForce(true).build();
    assertThat(VolumeLayout.of(ec).differences(vol("gluster/volume-info.many.xml", "vec"))).isEmpty();
    EnsureVolumeRequest dist = EnsureVolumeRequest.newBuilder().setName("vdist").setType("distribute")
        .addBricks("nsvc1:" + w + "h1/bricks/d1").addBricks("nsvc2:" + w + "h2/bricks/d2").build();
    assertThat(VolumeLayout.of(dist).differences(vol("gluster/volume-info.many.xml", "vdist"))).isEmpty();
  }

  @Test
  void differentLayoutSaysWhatDiffers() {
    GlusterVolume v = vol("gluster/volume-info.started.xml", "vol1");
    List<String> d = VolumeLayout.of(EnsureVolumeRequest.newBuilder().setName("vol1").setType("arbiter")
        .setReplica(3).setArbiter(1).addBricks(B1).addBricks(B2).addBricks("nsvc3:/b/arb").build()).differences(v);
    assertThat(d).anyMatch(s -> s.startsWith("replica count is 2, wanted 3"))
        .anyMatch(s -> s.startsWith("arbiter count is 0, wanted 1"))
        .anyMatch(s -> s.startsWith("bricks are"));
    assertThat(VolumeLayout.of(replica2().clearBricks().addBricks(B2).addBricks(B1).build()).differences(v))
        .singleElement().asString().startsWith("bricks are");
  }

  @Test
  void validationNamesTheField() {
    assertThatThrownBy(() -> VolumeLayout.of(replica2().setName("my.vol").build())).hasMessageStartingWith("name:");
    assertThatThrownBy(() -> VolumeLayout.of(replica2().setName("all").build())).hasMessageContaining("reserved");
    assertThatThrownBy(() -> VolumeLayout.of(replica2().setName("-v").build())).hasMessageStartingWith("name:");
    assertThatThrownBy(() -> VolumeLayout.of(replica2().setName("v".repeat(65)).build())).hasMessageStartingWith("name:");
    assertThat(VolumeLayout.of(replica2().setName("1vol_a-b").build()).name()).isEqualTo("1vol_a-b");
    assertThatThrownBy(() -> VolumeLayout.of(replica2().setReplica(3).build())).hasMessageStartingWith("bricks:");
    assertThatThrownBy(() -> VolumeLayout.of(replica2().setType("mirror").build())).hasMessageStartingWith("type:");
    assertThatThrownBy(() -> VolumeLayout.of(replica2().setTransport("rdma").build())).hasMessageStartingWith("transport:");
    assertThatThrownBy(() -> VolumeLayout.of(replica2().addBricks(B1).build())).hasMessageContaining("twice");
    for (String bad : List.of("nsvc1:relative/path", "nsvc1:/a/../b", "/no/host", "localhost:/b", "nsvc1:/b/",
        "nsvc1:/b c", "bad_host:/b", "nsvc1:/b;rm")) {
      assertThatThrownBy(() -> VolumeLayout.of(replica2().setBricks(1, bad).build()))
          .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("bricks:");
    }
    assertThatThrownBy(() -> VolumeLayout.of(EnsureVolumeRequest.newBuilder().setName("e").setType("disperse")
        .setDisperse(4).setRedundancy(2).addBricks("a:/1").addBricks("b:/1").addBricks("c:/1").addBricks("d:/1")
        .build())).hasMessageStartingWith("disperse/redundancy:");
    assertThatThrownBy(() -> VolumeLayout.of(EnsureVolumeRequest.newBuilder().setName("x")
        .setType("distributed-replicate").setReplica(2).addBricks("a:/1").addBricks("b:/1").build()))
        .hasMessageContaining("at least 4");
  }

  @Test
  void replicaTwoWarnsAboutSplitBrain() {
    assertThat(VolumeLayout.of(replica2().build()).warnings()).anyMatch(w -> w.contains("split-brain"));
    assertThat(OptionValues.same("on", "true")).isTrue();
    assertThat(OptionValues.same("off", "on")).isFalse();
    assertThat(OptionValues.same("64MB", "64MB")).isTrue();
  }
}
