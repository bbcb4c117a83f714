package io.brickyard.common.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import java.security.cert.X509CRL;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The cluster CA: creates it ({@code ca.crt}, {@code ca.key}) and issues certificates for nodes,
 * the coordinator and admins. EC P-256 keys (fast to generate, supported by every TLS stack we
 * use), SHA-256 signatures, keys written as PKCS#8 PEM with mode 0600.
 *
 * <p>Its directory is the CA's alone (mode 0700): besides the CA's two files it keeps a copy of
 * every certificate it issued ({@code issued/SERIAL.crt}, so that {@code certs revoke NAME} finds
 * their serials) and its revocation list {@code ca.crl}. Issued keys go to another directory.
 */
public final class CertAuthority {
  private static final SecureRandom RANDOM = new SecureRandom();
  /** {@code ca}, {@code ca.*}: names whose files ({@code ca.crt}, {@code ca.key}, ...) are the CA's. */
  private static final java.util.regex.Pattern RESERVED = java.util.regex.Pattern.compile("(?i)ca(\\..*)?");
  private final Path dir;
  private final X509Certificate caCert;
  private final PrivateKey caKey;

  private CertAuthority(Path dir, X509Certificate caCert, PrivateKey caKey) {
    this.dir = dir;
    this.caCert = caCert;
    this.caKey = caKey;
  }

  /** Creates a new CA in {@code dir} (made mode 0700); refuses to overwrite an existing one. */
  public static CertAuthority init(Path dir, String clusterName, Duration validity) throws IOException {
    Path crt = dir.resolve("ca.crt");
    Path key = dir.resolve("ca.key");
    if (Files.exists(crt) || Files.exists(key)) {
      throw new IOException("a cluster CA already exists in " + dir + " (remove ca.crt/ca.key to replace it)");
    }
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    KeyPair kp = newKeyPair();
    X500Name name = new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.O, "brickyard").addRDN(BCStyle.CN, "brickyard CA " + clusterName).build();
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(),
          Date.from(Instant.now().minus(Duration.ofHours(1))), Date.from(Instant.now().plus(validity)),
          name, kp.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
      X509Certificate cert = sign(b.build(signer(kp.getPrivate())));
      writePem(crt, cert, false);
      writePem(key, new JcaPKCS8Generator(kp.getPrivate(), null).generate(), true);
      return new CertAuthority(dir, cert, kp.getPrivate());
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IOException("cannot create CA: " + e.getMessage(), e);
    }
  }

  /** Loads an existing CA from {@code dir}. */
  public static CertAuthority load(Path dir) throws IOException {
    Path crt = dir.resolve("ca.crt");
    Path key = dir.resolve("ca.key");
    if (!Files.isReadable(crt) || !Files.isReadable(key)) {
      throw new IOException("no cluster CA in " + dir + " (run 'brickyard certs init' first)");
    }
    try (PEMParser cp = new PEMParser(Files.newBufferedReader(crt));
        PEMParser kp = new PEMParser(Files.newBufferedReader(key))) {
      X509Certificate cert = new JcaX509CertificateConverter().getCertificate((X509CertificateHolder) cp.readObject());
      Object k = kp.readObject();
      JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
      PrivateKey pk = k instanceof PEMKeyPair pair ? conv.getKeyPair(pair).getPrivate()
          : conv.getPrivateKey((PrivateKeyInfo) k);
      return new CertAuthority(dir, cert, pk);
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new IOException("cannot read CA from " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Issues {@code NAME.crt} + {@code NAME.key} in {@code dir}. {@code sans} are DNS names or IP
   * addresses; the name itself is always included. Re-issuing replaces the files atomically.
   */
  public Path issue(Path dir, String name, Role role, List<String> sans, Duration validity) throws IOException {
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
      throw new IllegalArgumentException("invalid certificate name '" + name
          + "': use letters, digits, '.', '_' or '-' (max 63)");
    }
    if (RESERVED.matcher(name).matches()) {
      throw new IllegalArgumentException("invalid certificate name '" + name
          + "': 'ca' and 'ca.*' are reserved for the cluster CA's own files (ca.crt, ca.key, ca.crl)");
    }
    Files.createDirectories(dir);
    KeyPair kp = newKeyPair();
    X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.O, "brickyard").addRDN(BCStyle.OU, role.ou()).addRDN(BCStyle.CN, name).build();
    List<GeneralName> names = new ArrayList<>();
    List<String> all = new ArrayList<>(sans);
    if (!all.contains(name)) {
      all.add(0, name);
    }
    for (String s : all) {
      names.add(isIp(s) ? new GeneralName(GeneralName.iPAddress, s) : new GeneralName(GeneralName.dNSName, s));
    }
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(caCert, serial(),
          Date.from(Instant.now().minus(Duration.ofHours(1))), Date.from(Instant.now().plus(validity)),
          new org.bouncycastle.asn1.x500.X500Name(subject.toString()), kp.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
      b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
          new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(new GeneralName[0])));
      b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCert));
      X509Certificate cert = sign(b.build(signer(caKey)));
      Path crt = dir.resolve(name + ".crt");
      Files.createDirectories(issuedDir());
      writePem(issuedDir().resolve(RevocationList.serialHex(cert.getSerialNumber()) + ".crt"), cert, false);
      writePem(dir.resolve(name + ".key"), new JcaPKCS8Generator(kp.getPrivate(), null).generate(), true);
      writePem(crt, cert, false);
      Path ca = dir.resolve("ca.crt");
      if (!Files.exists(ca)) {
        writePem(ca, caCert, false);
      }
      return crt;
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IOException("cannot issue certificate for " + name + ": " + e.getMessage(), e);
    }
  }

  public X509Certificate caCertificate() {
    return caCert;
  }

  /** Where the CA keeps its key, its copies of issued certificates and its CRL. */
  public Path dir() {
    return dir;
  }

  /** The CA's revocation list, which the daemons read as {@code ca.crl} beside their {@code ca.crt}. */
  public Path crlFile() {
    return dir.resolve("ca.crl");
  }

  private Path issuedDir() {
    return dir.resolve("issued");
  }

  /** Every certificate this CA issued (its copies in {@code issued/}), oldest first. */
  public List<X509Certificate> issued() throws IOException {
    List<X509Certificate> out = new ArrayList<>();
    if (!Files.isDirectory(issuedDir())) {
      return out;
    }
    try (var files = Files.list(issuedDir())) {
      for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".crt")).sorted().toList()) {
        try (PEMParser cp = new PEMParser(Files.newBufferedReader(p))) {
          out.add(sign((X509CertificateHolder) cp.readObject()));
        } catch (GeneralSecurityException | ClassCastException e) {
          throw new IOException("cannot read " + p + ": " + e.getMessage(), e);
        }
      }
    }
    out.sort(java.util.Comparator.comparing(X509Certificate::getNotBefore));
    return out;
  }

  /** The certificates issued to {@code name} (their CN), oldest first. */
  public List<X509Certificate> issuedTo(String name) throws IOException {
    List<X509Certificate> out = new ArrayList<>();
    for (X509Certificate c : issued()) {
      try {
        for (javax.naming.ldap.Rdn rdn : new javax.naming.ldap.LdapName(c.getSubjectX500Principal().getName()).getRdns()) {
          if ("CN".equalsIgnoreCase(rdn.getType()) && name.equals(String.valueOf(rdn.getValue()))) {
            out.add(c);
          }
        }
      } catch (javax.naming.InvalidNameException e) {
        throw new IOException("unreadable subject in an issued certificate: " + e.getMessage(), e);
      }
    }
    return out;
  }

  /** The serial numbers already in {@link #crlFile()} (empty when there is none yet). */
  public java.util.Set<BigInteger> revokedSerials() throws IOException {
    java.util.Set<BigInteger> out = new java.util.TreeSet<>();
    X509CRLHolder crl = readCrl();
    if (crl != null) {
      for (Object e : crl.getRevokedCertificates()) {
        out.add(((org.bouncycastle.cert.X509CRLEntryHolder) e).getSerialNumber());
      }
    }
    return out;
  }

  /**
   * Adds {@code serials} to the CA's CRL and signs it again (a new CRL number, valid as long as the
   * CA), written atomically. Serials already listed keep their first revocation date.
   */
  public Path revoke(java.util.Collection<BigInteger> serials) throws IOException {
    Date now = new Date();
    X509CRLHolder old = readCrl();
    BigInteger number = BigInteger.ONE;
    X509v2CRLBuilder b = new X509v2CRLBuilder(X500Name.getInstance(caCert.getSubjectX500Principal().getEncoded()), now);
    b.setNextUpdate(caCert.getNotAfter());
    java.util.Set<BigInteger> listed = revokedSerials();
    if (old != null) {
      b.addCRL(old);
      org.bouncycastle.asn1.x509.Extension n = old.getExtension(Extension.cRLNumber);
      if (n != null) {
        number = CRLNumber.getInstance(n.getParsedValue()).getCRLNumber().add(BigInteger.ONE);
      }
    }
    for (BigInteger s : serials) {
      if (!listed.contains(s)) {
        b.addCRLEntry(s, now, CRLReason.keyCompromise);
      }
    }
    try {
      b.addExtension(Extension.cRLNumber, false, new CRLNumber(number));
      b.addExtension(Extension.authorityKeyIdentifier, false, new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(caCert));
      X509CRL crl = new JcaX509CRLConverter().getCRL(b.build(signer(caKey)));
      writePem(crlFile(), crl, false);
      return crlFile();
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IOException("cannot sign the revocation list: " + e.getMessage(), e);
    }
  }

  private X509CRLHolder readCrl() throws IOException {
    if (!Files.exists(crlFile())) {
      return null;
    }
    try (PEMParser p = new PEMParser(Files.newBufferedReader(crlFile()))) {
      Object o = p.readObject();
      if (!(o instanceof X509CRLHolder h)) {
        throw new IOException(crlFile() + " is not a PEM X.509 CRL");
      }
      return h;
    }
  }

  private static boolean isIp(String s) {
    if (!s.matches("[0-9.]+") && !s.contains(":")) {
      return false;
    }
    try {
      InetAddress.getByName(s); // literal: no lookup happens for an IP literal
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static KeyPair newKeyPair() throws IOException {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IOException("EC P-256 not available: " + e.getMessage(), e);
    }
  }

  private static ContentSigner signer(PrivateKey key) throws OperatorCreationException {
    return new JcaContentSignerBuilder("SHA256withECDSA").build(key);
  }

  private static X509Certificate sign(X509CertificateHolder holder) throws GeneralSecurityException {
    return new JcaX509CertificateConverter().getCertificate(holder);
  }

  private static BigInteger serial() {
    return new BigInteger(96, RANDOM);
  }

  /** Writes to a temp file with the final permissions, then renames: never a half-written key. */
  private static void writePem(Path target, Object obj, boolean secret) throws IOException {
    StringWriter sw = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
      w.writeObject(obj);
    }
    Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--")));
    Files.writeString(tmp, sw.toString(), StandardCharsets.US_ASCII);
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
