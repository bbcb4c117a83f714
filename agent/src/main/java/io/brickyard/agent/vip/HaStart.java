package io.brickyard.agent.vip;

import io.brickyard.agent.AgentContext;
import io.brickyard.agent.nfs.GaneshaHealthRead;
import io.brickyard.agent.nfs.GraceOps;
import io.brickyard.agent.op.Operation;
import io.brickyard.api.agent.v1.GraceRequest;
import io.brickyard.common.net.LocalAddresses;
import io.brickyard.common.tls.TlsFiles;
import io.brickyard.common.zk.ZkClients;
import io.brickyard.common.zk.ZkEnsemble;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Starts the agent's VIP ownership from its options: a TLS Curator client to the members, the node's
 * name (its certificate's CN unless given), the real link and grace, the ganesha watch every second.
 */
public final class HaStart {
  /** docs/ha.md: ganesha is read at most every second. */
  public static final long GANESHA_CHECK_MILLIS = 1000;

  private HaStart() {}

  public static Optional<VipOwnership> ownership(String members, String nodeName, TlsFiles tls, AgentContext ctx)
      throws Exception {
    if (members == null || members.isBlank()) {
      return Optional.empty();
    }
    if (tls == null) {
      throw new IllegalArgumentException("--zookeeper needs TLS: ZooKeeper's members accept TLS clients only");
    }
    ZkEnsemble ens = ZkEnsemble.parse(members);
    String node = nodeName == null || nodeName.isBlank() ? commonName(tls) : nodeName;
    // never the member on this host: it would answer for seconds after this host's link went down
    var zk = ZkClients.curator(ens.remoteConnectString(LocalAddresses::isLocal),
        ZkClients.tlsConfig(tls, ctx.paths().stateDir().resolve("zk")),
        ZkClients.SESSION_TIMEOUT, ZkClients.CONNECTION_TIMEOUT);
    GraceOps grace = new GraceOps();
    VipOwnership own = VipOwnership.create(zk, node, ctx.runner(), (event, address) ->
        grace.grace(new Operation(ctx.runner(), false),
            GraceRequest.newBuilder().setEvent(event).setAddress(address).build()));
    own.start();
    own.watchGanesha(() -> GaneshaHealthRead.read(new Operation(ctx.runner(), false)), GANESHA_CHECK_MILLIS);
    return Optional.of(own);
  }

  static String commonName(TlsFiles tls) throws Exception {
    X509Certificate c;
    try (var in = java.nio.file.Files.newInputStream(tls.cert())) {
      c = (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    for (Rdn r : new LdapName(c.getSubjectX500Principal().getName()).getRdns()) {
      if ("CN".equalsIgnoreCase(r.getType())) {
        return String.valueOf(r.getValue());
      }
    }
    throw new IllegalArgumentException(tls.cert() + " has no CN: give --node-name");
  }
}
