package io.brickyard.agent.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickyard.agent.op.Operation;
import io.brickyard.agent.op.RefusedException;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.PurgeBrickDirectoryRequest;
import io.brickyard.api.agent.v1.RequestOptions;
import io.brickyard.common.exec.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PurgeBrickDirectory against the real getfattr and rm on a directory of this machine (trusted.*
 * xattrs need root, as the agent runs): only a directory with .glusterfs whose volume-id is the
 * deleted volume's is removed; a dry run removes nothing.
 */
class BrickPurgeTest {
  private static final String ID = "7cc23ae3-9837-46b9-ace5-2bc3bed47ff7";
  @TempDir Path tmp;

  private Path brick(String hexId) throws Exception {
    Path b = tmp.resolve("brick");
    Files.createDirectories(b.resolve(".glusterfs"));
    Files.writeString(b.resolve("f1"), "data");
    Process p = new ProcessBuilder(List.of("setfattr", "-n", "trusted.glusterfs.volume-id", "-v", hexId, b.toString()))
        .redirectErrorStream(true).start();
    // fails, never skips: the agent runs as root, and so does this test (package attr, xattrs on the temp directory)
    assertThat(p.waitFor()).as("setfattr of a trusted.* xattr needs root, package attr and xattr support in " + tmp)
        .isZero();
    return b;
  }

  private static PurgeBrickDirectoryRequest req(Path b, String id) {
    return PurgeBrickDirectoryRequest.newBuilder().setPath(b.toString()).setVolumeId(id).build();
  }

  @Test
  void theDeletedVolumesBrickIsRemovedOnlyForReal() throws Exception {
    Path b = brick("0x7cc23ae3983746b9ace52bc3bed47ff7");
    OperationResult dry = new BrickPurge().purge(new Operation(new ProcessRunner(), RequestOptions.newBuilder()
        .setDryRun(true).build()), req(b, ID));
    assertThat(dry.getChanged()).isTrue();
    assertThat(b).exists();
    OperationResult real = new BrickPurge().purge(new Operation(new ProcessRunner(), RequestOptions.getDefaultInstance()),
        req(b, ID));
    assertThat(real.getChanged()).isTrue();
    assertThat(b).doesNotExist();
    assertThat(new BrickPurge().purge(new Operation(new ProcessRunner(), RequestOptions.getDefaultInstance()), req(b, ID))
        .getChanged()).isFalse();
  }

  @Test
  void anotherVolumesBrickOrAPlainDirectoryIsKept() throws Exception {
    Path b = brick("0x00000000000000000000000000000001");
    assertThatThrownBy(() -> new BrickPurge().purge(new Operation(new ProcessRunner(), RequestOptions.getDefaultInstance()),
        req(b, ID))).isInstanceOf(RefusedException.class).hasMessageContaining("is not a brick of volume " + ID);
    assertThat(b.resolve("f1")).exists();
    Path plain = Files.createDirectories(tmp.resolve("plain"));
    assertThatThrownBy(() -> new BrickPurge().purge(new Operation(new ProcessRunner(), RequestOptions.getDefaultInstance()),
        req(plain, ID))).hasMessageContaining("no .glusterfs directory");
    assertThatThrownBy(() -> new BrickPurge().purge(new Operation(new ProcessRunner(), RequestOptions.getDefaultInstance()),
        req(plain, "-rf"))).isInstanceOf(IllegalArgumentException.class);
  }
}
