package io.brickyard.common.zk;

import io.brickyard.common.tls.Role;
import java.security.cert.X509Certificate;
import org.apache.zookeeper.common.X509Exception;
import org.apache.zookeeper.server.auth.X509AuthenticationProvider;

/**
 * ZooKeeper's own X.509 authentication (the TLS handshake has already demanded a certificate of the
 * cluster CA, {@code ssl.clientAuth=need}), with one change: the identity an ACL names is the
 * certificate's Brickyard role ({@code x509:coordinator}, {@code x509:node}, {@code x509:admin}),
 * the OU that every gRPC server checks too ({@code RoleAuthorizer}), instead of the whole subject
 * DN. So Brickyard's znodes carry three fixed ACL entries and a node added later needs no ACL
 * change. Registered in the member's configuration as {@code authProvider.x509=} this class.
 */
public final class RoleX509AuthProvider extends X509AuthenticationProvider {
  /** The id of a certificate without a Brickyard role: it matches no ACL entry Brickyard writes. */
  static final String NO_ROLE = "none";

  public RoleX509AuthProvider() throws X509Exception {
    super();
  }

  @Override
  protected String getClientId(X509Certificate cert) {
    Role r = Role.of(cert);
    return r == null ? NO_ROLE : r.ou();
  }

  /** An ACL id of this scheme is a role name (ZooKeeper's own provider would want a DN here). */
  @Override
  public boolean isValid(String id) {
    return Role.fromOu(id) != null && id.equals(Role.fromOu(id).ou());
  }

  @Override
  public boolean matches(String id, String aclExpr) {
    return id.equals(aclExpr);
  }
}
