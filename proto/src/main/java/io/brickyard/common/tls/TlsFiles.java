package io.brickyard.common.tls;

import io.grpc.ChannelCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The three PEM files a process needs for mutual TLS: the cluster CA certificate, its own
 * certificate and its own PKCS#8 private key. Servers always demand a client certificate signed by
 * the cluster CA; there is no "optional" client auth.
 */
public record TlsFiles(Path caCert, Path cert, Path key) {

  /** Files named {@code ca.crt}, {@code NAME.crt}, {@code NAME.key} in one directory. */
  public static TlsFiles inDir(Path dir, String name) {
    return new TlsFiles(dir.resolve("ca.crt"), dir.resolve(name + ".crt"), dir.resolve(name + ".key"));
  }

  /** Throws a one-line, actionable error when a file is missing or unreadable. */
  public TlsFiles check() {
    for (Path p : new Path[] {caCert, cert, key}) {
      if (p == null || !Files.isReadable(p)) {
        throw new TlsConfigException("TLS file not found or not readable: " + p
            + " (create certificates with 'brickyard certs init' and 'brickyard certs issue')");
      }
    }
    return this;
  }

  public ServerCredentials serverCredentials() {
    check();
    try {
      return TlsServerCredentials.newBuilder()
          .keyManager(Pem.keyManagers(cert, key))
          .trustManager(Pem.trustManagers(caCert))
          .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE)
          .build();
    } catch (IOException | java.security.GeneralSecurityException | RuntimeException e) {
      throw new TlsConfigException("cannot load TLS server credentials from " + cert + ", " + key
          + ", " + caCert + ": " + e.getMessage());
    }
  }

  public ChannelCredentials channelCredentials() {
    check();
    try {
      return TlsChannelCredentials.newBuilder()
          .keyManager(Pem.keyManagers(cert, key))
          .trustManager(Pem.trustManagers(caCert))
          .build();
    } catch (IOException | java.security.GeneralSecurityException | RuntimeException e) {
      throw new TlsConfigException("cannot load TLS client credentials from " + cert + ", " + key
          + ", " + caCert + ": " + e.getMessage());
    }
  }

  /** Bad or missing TLS material: reported as one line, never a stack trace. */
  public static final class TlsConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TlsConfigException(String message) {
      super(message);
    }
  }
}
