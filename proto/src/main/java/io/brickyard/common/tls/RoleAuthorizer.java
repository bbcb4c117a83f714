package io.brickyard.common.tls;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Second gate after the TLS handshake (which already proved the peer holds a cluster-CA-signed
 * certificate): the certificate must not be revoked (checked again on every call, so a revocation
 * also ends connections opened before it) and its role must be one this server accepts. Health
 * checks are open to any authenticated peer so that load balancers and `lab status` can probe.
 *
 * <p>A call without a TLS session is refused: this gate never guesses that plaintext was meant.
 * The agent's insecure debug mode does not use it at all (see the agent's {@code debug} package).
 */
public final class RoleAuthorizer implements ServerInterceptor {
  private final RevocationList revoked;
  private final Set<Role> allowed;

  public RoleAuthorizer(RevocationList revoked, Role first, Role... rest) {
    this.revoked = revoked;
    this.allowed = EnumSet.of(first, rest);
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String service = call.getMethodDescriptor().getServiceName();
    SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
    X509Certificate peer = session == null ? null : peerCertificate(session);
    if (peer == null) {
      return refuse(call, Status.UNAUTHENTICATED.withDescription(
          "no client certificate: this server accepts only mutual TLS with a cluster certificate"));
    }
    Optional<String> revocation = revoked.revoked(peer);
    if (revocation.isPresent()) {
      return refuse(call, Status.UNAUTHENTICATED.withDescription(revocation.get()));
    }
    if (service != null && (service.startsWith("grpc.health.") || service.startsWith("grpc.reflection."))) {
      return next.startCall(call, headers);
    }
    Role role = roleOf(peer);
    if (role == null || !allowed.contains(role)) {
      return refuse(call, Status.PERMISSION_DENIED.withDescription(
          "certificate role " + (role == null ? "(none)" : role.ou()) + " may not call " + service
              + "; allowed: " + allowed));
    }
    return next.startCall(call, headers);
  }

  private static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, Status status) {
    call.close(status, new Metadata());
    return new ServerCall.Listener<>() {};
  }

  private static X509Certificate peerCertificate(SSLSession session) {
    try {
      Certificate[] chain = session.getPeerCertificates();
      return chain.length > 0 && chain[0] instanceof X509Certificate x509 ? x509 : null;
    } catch (SSLPeerUnverifiedException e) {
      return null;
    }
  }

  static Role roleOf(X509Certificate x509) {
    try {
      for (Rdn rdn : new LdapName(x509.getSubjectX500Principal().getName()).getRdns()) {
        if ("OU".equalsIgnoreCase(rdn.getType())) {
          return Role.fromOu(String.valueOf(rdn.getValue()));
        }
      }
      return null;
    } catch (InvalidNameException e) {
      return null;
    }
  }
}
