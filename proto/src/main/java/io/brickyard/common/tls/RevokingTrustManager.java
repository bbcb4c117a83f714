package io.brickyard.common.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The JDK's chain check (signed by the cluster CA, in date), then the cluster's revocation list:
 * a revoked certificate fails the TLS handshake itself. Calls on connections opened before the
 * revocation are refused by {@link RoleAuthorizer}, which consults the same list.
 */
final class RevokingTrustManager extends X509ExtendedTrustManager {
  private final X509ExtendedTrustManager chain;
  private final RevocationList revoked;

  RevokingTrustManager(X509ExtendedTrustManager chain, RevocationList revoked) {
    this.chain = chain;
    this.revoked = revoked;
  }

  private void notRevoked(X509Certificate[] peer) throws CertificateException {
    Optional<String> why = peer.length == 0 ? Optional.empty() : revoked.revoked(peer[0]);
    if (why.isPresent()) {
      throw new CertificateException(why.get());
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] peer, String authType, SSLEngine engine) throws CertificateException {
    chain.checkClientTrusted(peer, authType, engine);
    notRevoked(peer);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] peer, String authType, SSLEngine engine) throws CertificateException {
    chain.checkServerTrusted(peer, authType, engine);
    notRevoked(peer);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] peer, String authType, Socket socket) throws CertificateException {
    chain.checkClientTrusted(peer, authType, socket);
    notRevoked(peer);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] peer, String authType, Socket socket) throws CertificateException {
    chain.checkServerTrusted(peer, authType, socket);
    notRevoked(peer);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] peer, String authType) throws CertificateException {
    chain.checkClientTrusted(peer, authType);
    notRevoked(peer);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] peer, String authType) throws CertificateException {
    chain.checkServerTrusted(peer, authType);
    notRevoked(peer);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return chain.getAcceptedIssuers();
  }
}
