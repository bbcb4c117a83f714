package io.brickyard.agent.lvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickyard.agent.op.Operation;
import io.brickyard.common.exec.CommandRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AutoextendProfileTest {
  private final CommandRunner none = c -> {
    throw new AssertionError("no command expected: " + c.display());
  };

  @Test
  void writesOnceThenConverges(@TempDir Path dir) throws Exception {
    AutoextendProfile p = new AutoextendProfile(dir);
    Operation first = new Operation(none, false);
    assertThat(p.ensure(first, 80, 20)).isEqualTo("brickyard-autoextend-80-20");
    assertThat(first.changed()).isTrue();
    assertThat(Files.readString(dir.resolve("brickyard-autoextend-80-20.profile")))
        .contains("thin_pool_autoextend_threshold = 80", "thin_pool_autoextend_percent = 20");
    Operation second = new Operation(none, false);
    p.ensure(second, 80, 20);
    assertThat(second.changed()).isFalse();
  }

  @Test
  void dryRunWritesNothing(@TempDir Path dir) {
    Operation op = new Operation(none, true);
    new AutoextendProfile(dir).ensure(op, 70, 10);
    assertThat(op.changed()).isTrue();
    assertThat(dir.resolve("brickyard-autoextend-70-10.profile")).doesNotExist();
  }

  @Test
  void validation() {
    AutoextendProfile.validate(0, 0);
    AutoextendProfile.validate(80, 20);
    assertThatThrownBy(() -> AutoextendProfile.validate(40, 20)).hasMessageContaining("autoextend_threshold");
    assertThatThrownBy(() -> AutoextendProfile.validate(80, 0)).hasMessageContaining("autoextend_percent");
  }
}
