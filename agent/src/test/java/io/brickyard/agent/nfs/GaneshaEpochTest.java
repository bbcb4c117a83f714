package io.brickyard.agent.nfs;

import static io.brickyard.agent.testlab.ScriptedRunner.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickyard.agent.op.Operation;
import io.brickyard.agent.op.RefusedException;
import io.brickyard.agent.service.ServiceBackend;
import io.brickyard.api.agent.v1.EnsureGaneshaConfigRequest;
import io.brickyard.api.agent.v1.ServiceState;
import io.brickyard.common.exec.CommandResult;
import io.brickyard.common.exec.CommandRunner;
import io.brickyard.common.exec.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GaneshaEpochTest {
  private static final String DEBIAN = fixture("ganesha/debian-default-nfs-ganesha");

  @Test
  void thePackagesPlaceholderBecomesTheEpochProgramAndEverythingElseStays() {
    String once = GaneshaEpoch.withProgram(DEBIAN, 2).orElseThrow();
    assertThat(once.lines()).containsExactly(
        "OPTIONS=\"-L /var/log/ganesha/ganesha.log -f /etc/ganesha/ganesha.conf -N NIV_EVENT\"",
        GaneshaEpoch.MARK,
        "EPOCH_EXEC=\"/bin/date +%s02\"",
        "#NODEID_EXEC=\"\"");
    assertThat(GaneshaEpoch.withProgram(once, 2)).contains(once);
    assertThat(GaneshaEpoch.withProgram(once, 17).orElseThrow()).contains("EPOCH_EXEC=\"/bin/date +%s17\"")
        .doesNotContain("%s02");
    assertThat(GaneshaEpoch.withProgram("", 1)).contains(GaneshaEpoch.MARK + "\nEPOCH_EXEC=\"/bin/date +%s01\"\n");
  }

  @Test
  void anAdminsOwnEpochProgramIsLeftAlone() {
    assertThat(GaneshaEpoch.withProgram("EPOCH_EXEC=\"/usr/bin/ganesha-rados-grace --pool nfs\"\n", 1)).isEmpty();
  }

  @Test
  void theIndexIsTwoDigitsFromOne() {
    assertThat(GaneshaEpoch.program(99)).isEqualTo("/bin/date +%s99");
    assertThatThrownBy(() -> GaneshaEpoch.program(0)).isInstanceOf(RefusedException.class);
    assertThatThrownBy(() -> GaneshaEpoch.program(100)).isInstanceOf(RefusedException.class).hasMessageContaining("1-99");
  }

  @Test
  void aNewDebianSourceStartsFromTheUnitsFileWithoutTheLinesTheStartScriptWrites() {
    String generated = DEBIAN + "EPOCH=\"-E 179617812301\"\nGNODEID=\"-I 3\"\nNUMACTL=/usr/bin/numactl\nNUMAOPTS=--interleave=all\n";
    assertThat(GaneshaEpoch.seedFromUnitEnv(generated)).isEqualTo(DEBIAN);
  }

  /** What the lab backend adds to ganesha's argv: -E and the real date(1)'s output for the program written. */
  @Test
  void theLabStartsGaneshaWithTheEpochTheProgramPrints() {
    String source = GaneshaEpoch.withProgram(DEBIAN, 7).orElseThrow();
    ProcessRunner real = new ProcessRunner();
    CommandRunner host = c -> {
      if (c.argv().equals(List.of("cat", "--", GaneshaEpoch.DEBIAN_SOURCE.toString()))) {
        return new CommandResult(c, 0, source, "", Duration.ZERO, false);
      }
      if (c.argv().get(0).equals("cat")) {
        return new CommandResult(c, 1, "", "No such file or directory", Duration.ZERO, false);
      }
      return real.run(c);
    };
    long before = System.currentTimeMillis() / 1000;
    List<String> args = GaneshaEpoch.startArgs(host);
    long after = System.currentTimeMillis() / 1000;
    assertThat(args).hasSize(2).first().isEqualTo("-E");
    long epoch = Long.parseLong(args.get(1));
    assertThat(epoch % 100).isEqualTo(7);
    assertThat(epoch / 100).isBetween(before, after);
    assertThat(GaneshaEpoch.startArgs(c -> new CommandResult(c, 1, "", "", Duration.ZERO, false))).isEmpty();
    assertThat(GaneshaEpoch.programIn(DEBIAN)).as("the packages' /bin/true is no epoch program").isEmpty();
  }

  @Test
  void theConfigStepWritesTheSourceOnceSeededFromTheUnitsFile(@TempDir Path dir) throws Exception {
    GaneshaFiles files = GaneshaFiles.under(dir);
    Files.writeString(files.unitEnv(), DEBIAN);
    ServiceBackend stopped = new ServiceBackend() {
      public String name() {
        return "test";
      }

      public ServiceState status(String unit) {
        return ServiceState.newBuilder().setInstalled(true).build();
      }

      public void ensure(Operation op, String unit, boolean running, boolean enabled, boolean restart) {
        throw new AssertionError("the epoch needs no start or restart");
      }
    };
    CommandRunner none = c -> {
      throw new AssertionError("no command expected: " + c.argv());
    };
    GaneshaConfigOps ops = new GaneshaConfigOps(files, stopped);
    EnsureGaneshaConfigRequest req = EnsureGaneshaConfigRequest.newBuilder().setEpochIndex(3).build();
    var r = ops.ensure(new Operation(none, false), req);
    assertThat(r.getResult().getCommandsList()).extracting(c -> String.join(" ", c.getArgvList()))
        .contains("brickyard:write-file " + files.epochSource());
    assertThat(Files.readString(files.epochSource())).isEqualTo(GaneshaEpoch.withProgram(DEBIAN, 3).orElseThrow());
    assertThat(ops.ensure(new Operation(none, false), req).getResult().getChanged()).isFalse();

    Files.writeString(files.epochSource(), "EPOCH_EXEC=\"/usr/local/bin/my-epoch\"\n");
    var foreign = ops.ensure(new Operation(none, false), req);
    assertThat(foreign.getResult().getWarningsList()).anySatisfy(w -> assertThat(w).contains("its own EPOCH_EXEC"));
    assertThat(Files.readString(files.epochSource())).isEqualTo("EPOCH_EXEC=\"/usr/local/bin/my-epoch\"\n");
  }
}
