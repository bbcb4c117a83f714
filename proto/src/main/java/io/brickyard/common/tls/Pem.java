package io.brickyard.common.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * Loads PEM certificates and PKCS#8 keys with the JDK alone and hands gRPC ready key and trust
 * managers. Given file paths, netty parses PEM itself, through BouncyCastle whenever it is on the
 * classpath (it is, in the CLI), which costs ~0.4 s of class loading on every CLI invocation.
 */
final class Pem {
  private static final char[] NO_PASSWORD = new char[0];

  private Pem() {}

  static KeyManager[] keyManagers(Path certChain, Path key) throws IOException, GeneralSecurityException {
    Collection<? extends Certificate> chain = certificates(certChain);
    // An in-memory store only handing the key to the KeyManagerFactory. PKCS12 would encrypt the key
    // on setKeyEntry and decrypt it again in init (PBKDF2, 10000 rounds each: ~0.1 s per process
    // start, measured in the CLI); JKS's key protection costs next to nothing. Nothing is written.
    KeyStore ks = KeyStore.getInstance("JKS");
    ks.load(null, null);
    ks.setKeyEntry("key", privateKey(key), NO_PASSWORD, chain.toArray(new Certificate[0]));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, NO_PASSWORD);
    return kmf.getKeyManagers();
  }

  static TrustManager[] trustManagers(Path ca) throws IOException, GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    int i = 0;
    for (Certificate c : certificates(ca)) {
      ks.setCertificateEntry("ca" + i++, c);
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    return tmf.getTrustManagers();
  }

  static Collection<? extends Certificate> certificates(Path pem) throws IOException, GeneralSecurityException {
    Collection<? extends Certificate> certs;
    try (var in = Files.newInputStream(pem)) {
      certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
    }
    if (certs.isEmpty()) {
      throw new GeneralSecurityException("no certificate in " + pem);
    }
    return certs;
  }

  /** "-----BEGIN PRIVATE KEY-----" (PKCS#8, as brickyard certs writes it), EC or RSA. */
  static PrivateKey privateKey(Path pem) throws IOException, GeneralSecurityException {
    String text = Files.readString(pem, StandardCharsets.US_ASCII);
    int b = text.indexOf("-----BEGIN PRIVATE KEY-----");
    int e = text.indexOf("-----END PRIVATE KEY-----");
    if (b < 0 || e < b) {
      throw new GeneralSecurityException(pem + " is not a PKCS#8 PEM private key (BEGIN PRIVATE KEY)");
    }
    byte[] der = Base64.getMimeDecoder().decode(text.substring(b + 27, e));
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    for (String alg : new String[] {"EC", "RSA", "Ed25519"}) {
      try {
        return KeyFactory.getInstance(alg).generatePrivate(spec);
      } catch (GeneralSecurityException ignored) {
        // try the next algorithm
      }
    }
    throw new GeneralSecurityException("unsupported private key type in " + pem);
  }
}
