package io.brickyard.common.tls;

import io.grpc.ChannelCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The three PEM files a process needs for mutual TLS: the cluster CA certificate, its own
 * certificate and its own PKCS#8 private key. Servers always demand a client certificate signed by
 * the cluster CA; there is no "optional" client auth, and refuse certificates on the cluster's
 * revocation list ({@code ca.crl} beside {@code ca.crt}, see {@link RevocationList}).
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

  /** The revocation list the CA's admin copies beside {@code ca.crt}: {@code ca.crl}. */
  public Path crl() {
    return caCert.resolveSibling("ca.crl");
  }

  /**
   * The cluster CA's private key, if it lies beside this process's own key. It must not: whoever
   * reads this directory could then mint admin certificates (docs/security.md).
   */
  public Optional<Path> strayCaKey() {
    Path k = caCert.resolveSibling("ca.key");
    return Files.exists(k) ? Optional.of(k) : Optional.empty();
  }

  /** Reads {@link #crl()} now (if present) and verifies it against {@code ca.crt}; re-read on change. */
  public RevocationList revocationList() {
    check();
    try {
      List<X509Certificate> cas = new ArrayList<>();
      for (var c : Pem.certificates(caCert)) {
        cas.add((X509Certificate) c);
      }
      return RevocationList.load(crl(), cas);
    } catch (IOException | GeneralSecurityException | ClassCastException e) {
      throw new TlsConfigException("cannot read " + caCert + ": " + e.getMessage());
    }
  }

  /** Demands a client certificate of the cluster CA that {@code revoked} does not list. */
  public ServerCredentials serverCredentials(RevocationList revoked) {
    check();
    try {
      return TlsServerCredentials.newBuilder()
          .keyManager(Pem.keyManagers(cert, key))
          .trustManager(trustManager(revoked))
          .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE)
          .build();
    } catch (IOException | java.security.GeneralSecurityException | RuntimeException e) {
      throw new TlsConfigException("cannot load TLS server credentials from " + cert + ", " + key
          + ", " + caCert + ": " + e.getMessage());
    }
  }

  public ChannelCredentials channelCredentials() {
    return channelCredentials(RevocationList.none());
  }

  /** Client credentials that also refuse a server whose certificate {@code revoked} lists (the coordinator's). */
  public ChannelCredentials channelCredentials(RevocationList revoked) {
    check();
    try {
      return TlsChannelCredentials.newBuilder()
          .keyManager(Pem.keyManagers(cert, key))
          .trustManager(trustManager(revoked))
          .build();
    } catch (IOException | java.security.GeneralSecurityException | RuntimeException e) {
      throw new TlsConfigException("cannot load TLS client credentials from " + cert + ", " + key
          + ", " + caCert + ": " + e.getMessage());
    }
  }

  private TrustManager trustManager(RevocationList revoked) throws IOException, GeneralSecurityException {
    for (TrustManager tm : Pem.trustManagers(caCert)) {
      if (tm instanceof X509ExtendedTrustManager x) {
        return new RevokingTrustManager(x, revoked);
      }
    }
    throw new GeneralSecurityException("no X.509 trust manager for " + caCert);
  }

  /** Bad or missing TLS material: reported as one line, never a stack trace. */
  public static final class TlsConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TlsConfigException(String message) {
      super(message);
    }
  }
}
