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
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Second gate after the TLS handshake (which already proved the peer holds a cluster-CA-signed
 * certificate): the certificate's role must be one this server accepts. Health checks are open to
 * any authenticated peer so that load balancers and `lab status` can probe.
 */
public final class RoleAuthorizer implements ServerInterceptor {
  private final Set<Role> allowed;

  public RoleAuthorizer(Role first, Role... rest) {
    this.allowed = EnumSet.of(first, rest);
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String service = call.getMethodDescriptor().getServiceName();
    if (service != null && (service.startsWith("grpc.health.") || service.startsWith("grpc.reflection."))) {
      return next.startCall(call, headers);
    }
    SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
    if (session == null) {
      // Plaintext only exists in the explicitly named insecure debug mode.
      return next.startCall(call, headers);
    }
    Role role = roleOf(session);
    if (role == null || !allowed.contains(role)) {
      call.close(Status.PERMISSION_DENIED.withDescription(
          "certificate role " + (role == null ? "(none)" : role.ou()) + " may not call " + service
              + "; allowed: " + allowed), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    return next.startCall(call, headers);
  }

  static Role roleOf(SSLSession session) {
    try {
      Certificate[] chain = session.getPeerCertificates();
      if (chain.length == 0 || !(chain[0] instanceof X509Certificate x509)) {
        return null;
      }
      for (Rdn rdn : new LdapName(x509.getSubjectX500Principal().getName()).getRdns()) {
        if ("OU".equalsIgnoreCase(rdn.getType())) {
          return Role.fromOu(String.valueOf(rdn.getValue()));
        }
      }
      return null;
    } catch (SSLPeerUnverifiedException | InvalidNameException e) {
      return null;
    }
  }
}
