package io.brickyard.common.tls;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificates the cluster CA has revoked: its CRL ({@code ca.crl}, PEM, signed by the CA,
 * written by {@code brickyard certs revoke}) beside {@code ca.crt}. Servers consult it at every
 * handshake and every call, and re-read the file whenever it changes (size, modification time or
 * inode), so copying a new CRL onto a host takes effect without a restart, even for connections
 * opened before.
 *
 * <p>Read with the JDK alone (the agent ships without BouncyCastle). A CRL that is not signed by
 * the cluster CA is refused: at start the daemon does not start; on a later change the last good
 * list stays in force and the error is logged, since a half-copied file must not lift revocations.
 * A missing file means nothing is revoked.
 */
public final class RevocationList {
  private static final Logger log = LoggerFactory.getLogger(RevocationList.class);
  private final Path file;
  private final Collection<X509Certificate> issuers;
  private Snapshot current;

  /** The list as read from one version of the file; {@code crl == null}: no file. */
  private record Snapshot(Object fileVersion, X509CRL crl) {}

  private RevocationList(Path file, Collection<X509Certificate> issuers) {
    this.file = file;
    this.issuers = issuers;
  }

  /** Nothing is ever revoked (tests, plaintext in-process servers). */
  public static RevocationList none() {
    return new RevocationList(null, List.of());
  }

  /**
   * Reads {@code file} now, checking its signature against {@code issuers} (the cluster CA).
   * Throws {@link TlsFiles.TlsConfigException} when it exists but cannot be read or verified.
   */
  public static RevocationList load(Path file, Collection<X509Certificate> issuers) {
    RevocationList r = new RevocationList(Objects.requireNonNull(file), List.copyOf(issuers));
    try {
      r.current = r.read(version(file));
    } catch (IOException | GeneralSecurityException e) {
      throw new TlsFiles.TlsConfigException("cannot use the revocation list " + file + ": " + e.getMessage());
    }
    return r;
  }

  public Path file() {
    return file;
  }

  /** Why {@code cert} is no longer accepted, or empty when it is not revoked. */
  public Optional<String> revoked(X509Certificate cert) {
    X509CRL crl = refresh();
    if (crl == null || !crl.getIssuerX500Principal().equals(cert.getIssuerX500Principal())) {
      return Optional.empty();
    }
    X509CRLEntry e = crl.getRevokedCertificate(cert.getSerialNumber());
    if (e == null) {
      return Optional.empty();
    }
    return Optional.of("certificate " + cert.getSubjectX500Principal().getName() + " (serial "
        + serialHex(cert.getSerialNumber()) + ") was revoked on " + e.getRevocationDate().toInstant()
        + " (" + file + ")");
  }

  /** Serial numbers as {@code brickyard certs} prints and takes them. */
  public static String serialHex(BigInteger serial) {
    return serial.toString(16);
  }

  private synchronized X509CRL refresh() {
    if (file == null) {
      return null;
    }
    Object version;
    try {
      version = version(file);
    } catch (IOException e) {
      log.error("cannot stat revocation list {}: {}; keeping the list read before", file, e.getMessage());
      return current.crl();
    }
    if (Objects.equals(version, current.fileVersion())) {
      return current.crl();
    }
    try {
      Snapshot next = read(version);
      log.info("revocation list {} {}: {} revoked certificate(s)", file, next.crl() == null ? "removed" : "reloaded",
          next.crl() == null || next.crl().getRevokedCertificates() == null ? 0 : next.crl().getRevokedCertificates().size());
      current = next;
    } catch (IOException | GeneralSecurityException e) {
      log.error("revocation list {} changed but cannot be used ({}); keeping the list read before", file, e.getMessage());
      current = new Snapshot(version, current.crl()); // log once per change, not once per call
    }
    return current.crl();
  }

  /** Size, modification time and file identity: a replaced or rewritten file always differs. */
  private static Object version(Path file) throws IOException {
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return List.of(a.size(), a.lastModifiedTime(), String.valueOf(a.fileKey()));
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  private Snapshot read(Object version) throws IOException, GeneralSecurityException {
    if (version == null) {
      return new Snapshot(null, null);
    }
    X509CRL crl;
    try (InputStream in = Files.newInputStream(file)) {
      crl = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(in);
    }
    GeneralSecurityException last = new GeneralSecurityException("not issued by the cluster CA ("
        + crl.getIssuerX500Principal().getName() + ")");
    for (X509Certificate ca : issuers) {
      if (!ca.getSubjectX500Principal().equals(crl.getIssuerX500Principal())) {
        continue;
      }
      try {
        crl.verify(ca.getPublicKey());
        return new Snapshot(version, crl);
      } catch (GeneralSecurityException e) {
        last = new GeneralSecurityException("signature does not verify with " + ca.getSubjectX500Principal().getName(), e);
      }
    }
    throw last;
  }
}
