package io.brickyard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recipe's cluster end to end on a fresh 2-node lab: apply examples/lab.yaml, a second apply
 * changes nothing, a file written through a FUSE mount on the client lands on both vol1 bricks,
 * killing glusterd on gluster1 leaves the mount readable and writable and status shows the brick
 * offline; with an agent stopped, plan refuses and apply creates nothing half way. And the plan as a
 * graph (issue 9): an option change plans one step, a reshape is refused before anything runs, a
 * volume the spec does not describe is drift, left alone.
 */
@Tag("lab")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterApplyE2ETest {
  @TempDir static Path tmp;

  @BeforeAll
  static void up() {
    LabHarness.up(2);
  }

  @AfterAll
  static void down() {
    LabHarness.down();
  }

  static JsonObject statusJson() {
    CliRun r = CliRun.of("status", "-o", "json");
    return JsonParser.parseString(r.out()).getAsJsonObject();
  }

  static JsonObject volume(JsonObject status, String name) {
    for (JsonElement v : status.getAsJsonArray("volumes")) {
      if (v.getAsJsonObject().get("name").getAsString().equals(name)) {
        return v.getAsJsonObject();
      }
    }
    throw new AssertionError("no volume " + name + " in " + status);
  }

  /** Issue 3's acceptance: one CLI command prepares /dev/sdb on gluster1 through the coordinator. */
  @Test
  @Order(0)
  void storageOnlySpecPreparesABrickAndConverges() throws Exception {
    CliRun r = CliRun.of("apply", "-f", LabHarness.example("lab-storage-only.yaml").toString(), "--yes");
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("gluster1  changed   allow glusterfs from 10.77.0.0/24")
        .contains("gluster1  changed   XFS on /dev/sdb").contains("gluster1  changed   /dev/sdb mounted at /gluster/vol1/brick1")
        .contains("gluster1  changed   brick directory /gluster/vol1/brick1/brick");
    // Checked independently of Brickyard, inside the host:
    LabHarness.Exec mnt = LabHarness.exec("gluster1", "findmnt", "-n", "-o", "FSTYPE,OPTIONS", "/gluster/vol1/brick1");
    assertThat(mnt.out()).startsWith("xfs ").contains("nosuid").contains("nodev").contains("noatime").contains("nouuid")
        .contains("inode64");
    LabHarness.Exec fstab = LabHarness.exec("gluster1", "cat", "/etc/fstab");
    assertThat(fstab.out()).containsPattern("(?m)^UUID=[0-9a-f-]+ /gluster/vol1/brick1 xfs rw,noatime,nouuid,inode64,nofail,nosuid,nodev 0 0");
    assertThat(LabHarness.exec("gluster1", "test", "-d", "/gluster/vol1/brick1/brick").code()).isZero();
    assertThat(LabHarness.exec("gluster1", "xfs_info", "/gluster/vol1/brick1").out()).contains("isize=512")
        .containsPattern("naming\s+=version 2\s+bsize=8192");
    for (String scope : List.of("--permanent", "--zone=public")) {
      LabHarness.Exec fw = LabHarness.exec("gluster1", "firewall-cmd", scope, "--list-rich-rules");
      assertThat(fw.out()).contains("rule family=\"ipv4\" source address=\"10.77.0.0/24\" service name=\"glusterfs\" accept");
    }
    CliRun again = CliRun.of("apply", "-f", LabHarness.example("lab-storage-only.yaml").toString(), "--yes");
    assertThat(again.code()).isZero();
    assertThat(again.out()).contains("Apply: 0 changes.");
  }

  @Test
  @Order(1)
  void applyCreatesTheRecipesVolumes() {
    CliRun r = CliRun.of("apply", "-f", LabHarness.example("lab.yaml").toString(), "--yes");
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("Apply complete: ").contains(" 0 failed, 0 skipped")
        .contains("gluster2  changed   XFS on /dev/sdb").contains("cluster   changed   volume vol1 started");
    JsonObject st = statusJson();
    JsonObject vol1 = volume(st, "vol1");
    assertThat(vol1.get("type").getAsString()).isEqualTo("Replicate");
    assertThat(vol1.get("layout").getAsString()).isEqualTo("1 x 2 = 2");
    assertThat(vol1.get("status").getAsString()).isEqualTo("Started");
    JsonObject vol2 = volume(st, "vol2");
    assertThat(vol2.get("type").getAsString()).isEqualTo("Distribute");
    assertThat(vol2.getAsJsonArray("bricks")).hasSize(2);
    assertThat(vol2.get("status").getAsString()).isEqualTo("Started");
    for (JsonObject v : List.of(vol1, vol2)) {
      assertThat(v.getAsJsonArray("bricks")).allSatisfy(b -> assertThat(b.getAsJsonObject().get("online").getAsBoolean()).isTrue());
    }
    CliRun history = CliRun.of("history");
    assertThat(history.out()).contains(" ok ").contains("lab.yaml");
  }

  @Test
  @Order(2)
  void secondApplyChangesNothing() {
    CliRun plan = CliRun.of("plan", "-f", LabHarness.example("lab.yaml").toString(), "-o", "json");
    assertThat(plan.code()).isZero();
    // -o json prints empty lists: a script finds "steps": [], not a missing key
    assertThat(JsonParser.parseString(plan.out()).getAsJsonObject().getAsJsonArray("steps")).as(plan.out()).isEmpty();
    CliRun r = CliRun.of("apply", "-f", LabHarness.example("lab.yaml").toString(), "--yes");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("No changes: the cluster matches the spec.").contains("Apply: 0 changes.");
    // every apply is journaled, also one that found nothing to do
    CliRun last = CliRun.of("history", "-n", "1");
    assertThat(last.out().strip().lines()).singleElement().asString().containsPattern(" ok +0 changed +0 failed ")
        .contains("lab.yaml");
  }

  /** Issue 9: the volume steps whose inputs an option change does not touch are dry-run, not pending. */
  @Test
  @Order(3)
  void anOptionChangeOnVol1PlansExactlyOneStep() throws Exception {
    Path f = tmp.resolve("lab-option.yaml");
    Files.writeString(f, Files.readString(LabHarness.example("lab.yaml"))
        .replace("    replica: 2\n", "    replica: 2\n    options: {performance.cache-size: 64MB}\n"));
    CliRun plan = CliRun.of("plan", "-f", f.toString(), "-o", "json");
    assertThat(plan.code()).as(plan.out() + plan.err()).isZero();
    JsonArray steps = JsonParser.parseString(plan.out()).getAsJsonObject().getAsJsonArray("steps");
    assertThat(steps).as(plan.out()).singleElement()
        .satisfies(s -> assertThat(s.getAsJsonObject().get("id").getAsString()).isEqualTo("cluster/options:vol1"));
    CliRun apply = CliRun.of("apply", "-f", f.toString(), "--yes");
    assertThat(apply.code()).as(apply.out() + apply.err()).isZero();
    assertThat(apply.out()).contains("Apply complete: 1 changed, 0 unchanged, 0 failed, 0 skipped");
    assertThat(LabHarness.exec("gluster1", "gluster", "--mode=script", "volume", "get", "vol1", "performance.cache-size")
        .out()).contains("64MB");
  }

  /**
   * Issues 9 and 14: a shape gluster cannot reach from vol1 as it is (a new replica set listed
   * before its existing bricks: gluster appends new sets) is a spec error of the plan, with its
   * field: exit 2, nothing runs, no brick directory appears (docs/day2.md).
   */
  @Test
  @Order(4)
  void aShapeGlusterCannotReachIsRefusedInThePlanAndNothingIsCreated() throws Exception {
    Path f = tmp.resolve("lab-reshape.yaml");
    Files.writeString(f, Files.readString(LabHarness.example("lab.yaml"))
        .replace("    type: replicate\n", "    type: distributed-replicate\n")
        .replace("      - gluster1:/gluster/vol1/brick1/brick\n", "      - gluster1:/gluster/vol1/brick1/brick2\n"
            + "      - gluster2:/gluster/vol1/brick1/brick2\n      - gluster1:/gluster/vol1/brick1/brick\n"));
    CliRun plan = CliRun.of("plan", "-f", f.toString());
    assertThat(plan.code()).as(plan.out() + plan.err()).isEqualTo(2);
    assertThat(plan.err()).contains("error: volumes[0].bricks: gluster would order the bricks of volume vol1 as")
        .contains("Nothing was run");
    CliRun apply = CliRun.of("apply", "-f", f.toString(), "--yes");
    assertThat(apply.code()).as(apply.out() + apply.err()).isEqualTo(2);
    assertThat(apply.err()).contains("volumes[0].bricks");
    assertThat(apply.out()).doesNotContain("changed   ");
    for (String host : List.of("gluster1", "gluster2")) {
      assertThat(LabHarness.exec(host, "test", "-e", "/gluster/vol1/brick1/brick2").code()).as(host).isNotZero();
    }
  }

  /** Issue 9: a volume the spec does not describe is drift for plan and status (text and JSON), and apply leaves it alone. */
  @Test
  @Order(5)
  void aVolumeMissingFromTheSpecIsDriftAndSurvivesApply() throws Exception {
    String lab = Files.readString(LabHarness.example("lab.yaml"));
    Path f = tmp.resolve("lab-no-vol2.yaml");
    Files.writeString(f, lab.substring(0, lab.indexOf("  - name: vol2\n")));
    String drift = "volume vol2 exists (Distribute, 2 bricks, Started), not in the spec: left alone";
    CliRun plan = CliRun.of("plan", "-f", f.toString());
    assertThat(plan.code()).as(plan.out() + plan.err()).isZero();
    assertThat(plan.out()).contains("drift: " + drift).contains("No changes: the cluster matches the spec.");
    JsonObject planJson = JsonParser.parseString(CliRun.of("plan", "-f", f.toString(), "-o", "json").out()).getAsJsonObject();
    assertThat(planJson.getAsJsonArray("unmanaged")).singleElement().satisfies(d -> {
      assertThat(d.getAsJsonObject().get("kind").getAsString()).isEqualTo("volume");
      assertThat(d.getAsJsonObject().get("name").getAsString()).isEqualTo("vol2");
      assertThat(d.getAsJsonObject().get("action").getAsString()).isEqualTo("left alone");
    });
    CliRun status = CliRun.of("status", "-f", f.toString());
    assertThat(status.code()).as("drift makes status exit 1").isEqualTo(1);
    assertThat(status.out()).contains("DRIFT from the spec\n  " + drift);
    JsonObject statusJson = JsonParser.parseString(CliRun.of("status", "-f", f.toString(), "-o", "json").out())
        .getAsJsonObject();
    assertThat(statusJson.getAsJsonArray("unmanaged")).singleElement()
        .satisfies(d -> assertThat(d.getAsJsonObject().get("name").getAsString()).isEqualTo("vol2"));
    CliRun apply = CliRun.of("apply", "-f", f.toString(), "--yes");
    assertThat(apply.code()).as(apply.out() + apply.err()).isZero();
    assertThat(LabHarness.exec("gluster1", "gluster", "--mode=script", "volume", "info", "vol2").code()).isZero();
    assertThat(volume(statusJson(), "vol2").get("status").getAsString()).isEqualTo("Started");
  }

  /**
   * Issue #8: a source removed from the spec's trustedSources is closed by apply, and until then
   * plan shows the revocation as a change and status reports it as drift.
   */
  @Test
  @Order(6)
  void aTrustedSourceRemovedFromTheSpecIsDriftUntilApplyRevokesIt() throws Exception {
    String lab = Files.readString(LabHarness.example("lab.yaml"));
    String two = lab.replace("trustedSources: [10.77.0.0/24]", "trustedSources: [10.77.0.0/24, 10.78.0.0/24]");
    assertThat(two).isNotEqualTo(lab);
    Path f = tmp.resolve("lab-two-sources.yaml");
    Files.writeString(f, two);
    CliRun wider = CliRun.of("apply", "-f", f.toString(), "--yes");
    assertThat(wider.code()).as(wider.out() + wider.err()).isZero();
    assertThat(wider.out()).contains("gluster1  changed   allow glusterfs from 10.77.0.0/24,10.78.0.0/24");
    String rule78 = "rule family=\"ipv4\" source address=\"10.78.0.0/24\" service name=\"glusterfs\" accept";
    assertThat(LabHarness.exec("gluster2", "firewall-cmd", "--list-rich-rules").out()).contains(rule78);

    // back to the spec with one source: not converged, on both nodes
    CliRun plan = CliRun.of("plan", "-f", LabHarness.example("lab.yaml").toString());
    assertThat(plan.code()).as(plan.out() + plan.err()).isZero();
    assertThat(plan.out()).doesNotContain("No changes")
        .contains("[change] allow glusterfs from 10.77.0.0/24 (rich rules, permanent + runtime)")
        .contains("why: would: revoked glusterfs from 10.78.0.0/24 (added by brickyard, no longer requested)")
        .contains("removeRichRule s " + rule78);
    CliRun status = CliRun.of("status", "-f", LabHarness.example("lab.yaml").toString());
    assertThat(status.code()).as(status.out()).isNotZero();
    assertThat(status.out()).contains("gluster1: allow glusterfs from 10.77.0.0/24")
        .contains("gluster2: allow glusterfs from 10.77.0.0/24").contains("revoked glusterfs from 10.78.0.0/24");

    CliRun r = CliRun.of("apply", "-f", LabHarness.example("lab.yaml").toString(), "--yes");
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("gluster1  changed   allow glusterfs from 10.77.0.0/24")
        .contains("gluster2  changed   allow glusterfs from 10.77.0.0/24");
    for (String host : List.of("gluster1", "gluster2")) {
      for (String scope : List.of("--permanent", "--zone=public")) {
        LabHarness.Exec fw = LabHarness.exec(host, "firewall-cmd", scope, "--list-rich-rules");
        assertThat(fw.out()).as(host + " " + scope).doesNotContain(rule78)
            .contains("rule family=\"ipv4\" source address=\"10.77.0.0/24\" service name=\"glusterfs\" accept");
      }
    }
    assertThat(CliRun.of("plan", "-f", LabHarness.example("lab.yaml").toString()).out())
        .contains("No changes: the cluster matches the spec.");
  }

  @Test
  @Order(7)
  void applyRefusesWhenTheClusterChangedSinceThePlan() throws Exception {
    String fingerprint = JsonParser.parseString(CliRun.of("plan", "-f", LabHarness.example("lab.yaml").toString(),
        "-o", "json").out()).getAsJsonObject().get("fingerprint").getAsString();
    // The cluster changes behind the admin's back: glusterd stops on gluster2.
    LabHarness.kill(LabHarness.unitPid("gluster2", "glusterd"), false);
    CliRun stale = CliRun.of("apply", "-f", LabHarness.example("lab.yaml").toString(), "--yes",
        "--plan-fingerprint", fingerprint);
    assertThat(stale.code()).isEqualTo(1);
    assertThat(stale.err()).contains("the cluster changed since the plan was made (fingerprint " + fingerprint)
        .contains("nothing was run");
    assertThat(stale.out()).doesNotContain("changed   ");
    assertThat(CliRun.of("history", "-n", "1").out()).contains("FAILED").contains("the cluster changed since the plan");
    // A fresh plan shows the drift and apply converges it.
    CliRun r = CliRun.of("apply", "-f", LabHarness.example("lab.yaml").toString(), "--yes");
    assertThat(r.code()).as(r.out()).isZero();
    assertThat(r.out()).contains("gluster2  changed   glusterd running and enabled");
  }

  @Test
  @Order(8)
  void fuseClientSurvivesGlusterdLossThroughBackupVolfileServer() throws Exception {
    CliRun cm = CliRun.of("client-mount", "vol1", "-f", LabHarness.example("lab.yaml").toString());
    assertThat(cm.out()).contains("mount -t glusterfs -o backup-volfile-servers=gluster2 gluster1:/vol1 /mnt/vol1");
    assertThat(LabHarness.exec("client", "mkdir", "-p", "/mnt/vol1").code()).isZero();
    LabHarness.Exec m = LabHarness.exec("client", "mount", "-t", "glusterfs", "-o", "backup-volfile-servers=gluster2",
        "gluster1:/vol1", "/mnt/vol1");
    assertThat(m.code()).as(m.out()).isZero();
    assertThat(LabHarness.exec("client", "cp", "/etc/hostname", "/mnt/vol1/written-by-client").code()).isZero();
    for (String host : List.of("gluster1", "gluster2")) {
      LabHarness.Exec cat = LabHarness.exec(host, "cat", "/gluster/vol1/brick1/brick/written-by-client");
      assertThat(cat.code()).as(host + ": " + cat.out()).isZero();
      assertThat(cat.out().strip()).isEqualTo("client");
    }

    LabHarness.kill(LabHarness.unitPid("gluster1", "glusterd"), true);
    LabHarness.Exec read = LabHarness.exec("client", "cat", "/mnt/vol1/written-by-client");
    assertThat(read.code()).as(read.out()).isZero();
    assertThat(read.out().strip()).isEqualTo("client");
    assertThat(LabHarness.exec("client", "cp", "/etc/hosts", "/mnt/vol1/after-glusterd-died").code()).isZero();
    assertThat(LabHarness.exec("gluster2", "test", "-f", "/gluster/vol1/brick1/brick/after-glusterd-died").code()).isZero();

    JsonObject st = statusJson();
    JsonArray bricks = volume(st, "vol1").getAsJsonArray("bricks");
    JsonObject g1 = bricks.asList().stream().map(JsonElement::getAsJsonObject)
        .filter(b -> b.get("name").getAsString().startsWith("gluster1:")).findFirst().orElseThrow();
    assertThat(g1.has("online") && g1.get("online").getAsBoolean()).as(g1.toString()).isFalse();
    assertThat(LabHarness.exec("client", "umount", "/mnt/vol1").code()).isZero();

    // The next apply converges: it starts glusterd again.
    CliRun r = CliRun.of("apply", "-f", LabHarness.example("lab.yaml").toString(), "--yes");
    assertThat(r.code()).as(r.out()).isZero();
    assertThat(r.out()).contains("gluster1  changed   glusterd running and enabled");
  }

  @Test
  @Order(9)
  void withAnAgentStoppedPlanRefusesAndApplyCreatesNothing() throws Exception {
    String spec = Files.readString(LabHarness.example("lab.yaml"))
        + "  - name: vol3\n    type: replicate\n    replica: 2\n    bricks:\n"
        + "      - gluster1:/gluster/vol1/brick1/brick3\n      - gluster2:/gluster/vol1/brick1/brick3\n";
    Path f = tmp.resolve("lab-vol3.yaml");
    Files.writeString(f, spec);
    LabHarness.kill(LabHarness.labPid("agent.gluster2"), false);

    CliRun plan = CliRun.of("plan", "-f", f.toString());
    assertThat(plan.code()).as(plan.out() + plan.err()).isEqualTo(1);
    assertThat(plan.out()).contains("! node gluster2 (10.77.0.12:7443) is UNREACHABLE")
        .contains("[REFUSED] volume vol3 (replicate, 2 bricks)").contains("needs node gluster2, which is unreachable")
        .contains("REFUSED (apply will not run anything)");

    CliRun apply = CliRun.of("apply", "-f", f.toString(), "--yes");
    assertThat(apply.code()).isEqualTo(1);
    assertThat(apply.out()).doesNotContain("changed   ");
    assertThat(CliRun.of("history", "-n", "1").out()).contains("FAILED").contains("lab-vol3.yaml")
        .contains("the plan has refused steps: nothing was run");
    // Nothing half way: gluster1's brick directory for vol3 was not created, vol3 does not exist.
    assertThat(LabHarness.exec("gluster1", "test", "-e", "/gluster/vol1/brick1/brick3").code()).isNotZero();
    assertThat(LabHarness.exec("gluster1", "gluster", "--mode=script", "volume", "info", "vol3").code()).isNotZero();
  }
}
