package io.brickyard.common.zk;

import io.brickyard.common.fs.DurableFiles;
import io.brickyard.common.tls.TlsFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * ZooKeeper's X509Util reads a PEM key store as ONE file holding the private key and the
 * certificate ({@code ssl.keyStore.type=PEM}); Brickyard keeps them as two ({@code NAME.key},
 * {@code NAME.crt}, docs/security.md). This writes the pair into one file, mode 0600, in a
 * directory of the process's own (never beside the originals, which an admin manages), and
 * rewrites it when a certificate is re-issued. The trust store is {@code ca.crt} as it is.
 */
public final class ZkPem {
  private ZkPem() {}

  /** Writes {@code dir/zk-<cert file name>.pem} (key, then certificate) and returns it. */
  public static Path keyStore(TlsFiles tls, Path dir) throws IOException {
    tls.check();
    Files.createDirectories(dir);
    String name = tls.cert().getFileName().toString().replaceFirst("\\.crt$", "");
    Path out = dir.resolve("zk-" + name + ".pem");
    String key = Files.readString(tls.key(), StandardCharsets.US_ASCII);
    String crt = Files.readString(tls.cert(), StandardCharsets.US_ASCII);
    byte[] both = (key.endsWith("\n") ? key : key + "\n").concat(crt).getBytes(StandardCharsets.US_ASCII);
    if (Files.exists(out) && java.util.Arrays.equals(Files.readAllBytes(out), both)) {
      return out;
    }
    DurableFiles.replace(out, both, PosixFilePermissions.fromString("rw-------"), DurableFiles.TEMP_SUFFIX);
    return out;
  }
}
