package io.brickyard.agent.lvm;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickyard.agent.Fixtures;
import io.brickyard.agent.lvm.LvmJson.Lv;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Parsing of real pvs/vgs/lvs JSON captured in the VM after the recipe (fixtures/lvm/README.md). */
class LvmJsonTest {
  private static final long GIB = 1L << 30;

  @Test
  void lvsAfterTheRecipe() {
    Map<String, Lv> lvs = LvmJson.parseLvs(Fixtures.read("lvm/lvs.json")).stream()
        .collect(Collectors.toMap(Lv::name, Function.identity()));
    assertThat(lvs).containsOnlyKeys("thinpool", "vol1", "vol2", "vol3", "snap");
    Lv pool = lvs.get("thinpool");
    assertThat(pool.thinPool()).isTrue();
    assertThat(pool.thinVolume()).isFalse();
    assertThat(pool.size()).isEqualTo(5347737600L);
    assertThat(pool.metadataSize()).isEqualTo(8388608);
    assertThat(pool.chunkSize()).isEqualTo(65536);
    assertThat(pool.dataPercent()).isEqualTo(2.58);
    assertThat(pool.metadataPercent()).isEqualTo(11.33);
    assertThat(pool.profile()).isEqualTo("brickyard-autoextend-80-20");
    assertThat(pool.zero()).as("created with --zero n").isFalse();
    assertThat(lvs.get("vol3").size()).isEqualTo(10 * GIB);
    assertThat(lvs.get("vol1").thinVolume()).isTrue();
    assertThat(lvs.get("vol1").pool()).isEqualTo("thinpool");
    assertThat(lvs.get("vol1").open()).as("mounted").isTrue();
    assertThat(lvs.get("vol2").open()).as("mounted too").isTrue();
    assertThat(lvs.get("vol3").open()).isFalse();
    assertThat(lvs.values()).allSatisfy(l -> assertThat(l.tags()).as(l.name()).containsExactly("brickyard"));
    assertThat(lvs.get("vol1").path()).isEqualTo("/dev/data/vol1");
    assertThat(lvs.get("vol2").metadataPercent()).as("not applicable").isEqualTo(-1);
    Lv snap = lvs.get("snap");
    assertThat(snap.origin()).isEqualTo("vol1");
    assertThat(snap.active()).isTrue();
    assertThat(snap.activationSkip()).isFalse();
  }

  @Test
  void hiddenLvsHaveUnknownZeroFlag() {
    List<Lv> all = LvmJson.parseLvs(Fixtures.read("lvm/lvs-all.json"));
    assertThat(all).extracting(Lv::name).contains("[thinpool_tdata]", "[thinpool_tmeta]", "[lvol0_pmspare]");
    assertThat(all).filteredOn(l -> l.name().startsWith("[")).allMatch(l -> !l.zero());
  }

  @Test
  void vgsAndPvs() {
    List<LvmJson.Vg> vgs = LvmJson.parseVgs(Fixtures.read("lvm/vgs.json"));
    assertThat(vgs).singleElement().satisfies(vg -> {
      assertThat(vg.name()).isEqualTo("data");
      assertThat(vg.size()).isEqualTo(5364514816L);
      assertThat(vg.free()).isZero();
      assertThat(vg.pvCount()).isEqualTo(1);
      assertThat(vg.lvCount()).isEqualTo(5);
      assertThat(vg.extentSize()).isEqualTo(4L << 20);
    });
    List<LvmJson.Pv> pvs = LvmJson.parsePvs(Fixtures.read("lvm/pvs.json"));
    assertThat(pvs).singleElement().satisfies(pv -> {
      assertThat(pv.name()).isEqualTo("/dev/vda");
      assertThat(pv.vg()).isEqualTo("data");
      assertThat(pv.peStart()).isEqualTo(1L << 20);
      assertThat(pv.uuid()).hasSize(38);
    });
  }

  @Test
  void emptyOutputMeansNoRows() {
    assertThat(LvmJson.parseLvs("")).isEmpty();
    assertThat(LvmJson.parseVgs("  {\n  \"report\": [ { \"vg\": [ ] } ] }")).isEmpty();
  }

  @Test
  void reportForTheWireCountsVirtualAllocation() {
    LvmState s = new LvmState(LvmJson.parsePvs(Fixtures.read("lvm/pvs.json")),
        LvmJson.parseVgs(Fixtures.read("lvm/vgs.json")), LvmJson.parseLvs(Fixtures.read("lvm/lvs.json")));
    var report = LvmServiceImpl.report(s);
    var pool = report.getLogicalVolumesList().stream().filter(l -> l.getName().equals("thinpool")).findFirst().orElseThrow();
    assertThat(pool.getVirtualAllocatedBytes()).as("vol1+vol2+vol3+snap").isEqualTo(13 * GIB);
    assertThat(pool.getThinPool()).isTrue();
    assertThat(report.getWarningsList()).singleElement().asString().contains("13.00 GiB");
  }
}
