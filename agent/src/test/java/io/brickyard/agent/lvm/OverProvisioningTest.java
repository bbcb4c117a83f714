package io.brickyard.agent.lvm;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickyard.agent.Fixtures;
import io.brickyard.agent.lvm.LvmJson.Lv;
import java.util.List;
import org.junit.jupiter.api.Test;

class OverProvisioningTest {
  private final List<Lv> lvs = LvmJson.parseLvs(Fixtures.read("lvm/lvs.json"));
  private final LvmJson.Vg vg = LvmJson.parseVgs(Fixtures.read("lvm/vgs.json")).get(0);
  private final Lv pool = lvs.stream().filter(Lv::thinPool).findFirst().orElseThrow();

  private List<Lv> only(String... names) {
    return lvs.stream().filter(l -> List.of(names).contains(l.name())).toList();
  }

  @Test
  void recipeVol3CaseWarnsWithNumbers() {
    List<String> w = OverProvisioning.warnings(pool, only("vol1", "vol2", "vol3"), vg);
    assertThat(w).singleElement().asString()
        .contains("data/thinpool is over-provisioned")
        .contains("12.00 GiB (12884901888 bytes: vol1 1.00 GiB, vol2 1.00 GiB, vol3 10.00 GiB)")
        .contains("4.98 GiB (5347737600 bytes)")
        .contains("241%")
        .contains("more than the whole VG data (5.00 GiB)");
  }

  @Test
  void withinThePoolNoWarning() {
    assertThat(OverProvisioning.warnings(pool, only("vol1", "vol2"), vg)).isEmpty();
  }

  @Test
  void fillWarnings() {
    Lv full = new Lv("data", "p", "twi-aotz--", 100L << 30, "", "", 91.5, 85.0, "", "", 8 << 20, 65536, "", true, List.of());
    List<String> w = OverProvisioning.warnings(full, List.of(), null);
    assertThat(w).containsExactly("thin pool data/p data is 91.50% full (91.50 GiB of 100.00 GiB)",
        "thin pool data/p metadata is 85.00% full (metadata LV 8.00 MiB)");
  }
}
