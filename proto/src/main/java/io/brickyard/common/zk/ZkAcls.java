package io.brickyard.common.zk;

import io.brickyard.common.tls.Role;
import java.util.List;
import org.apache.curator.framework.api.ACLProvider;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;

/**
 * Who may do what under Brickyard's znodes: coordinators and agents (the certificates whose job is
 * ownership of addresses and leadership) everything, admins read (to see who holds what), nobody
 * else anything. The identities are roles ({@link RoleX509AuthProvider}). A client without a
 * certificate never gets that far: the members demand one in the TLS handshake.
 */
public final class ZkAcls {
  public static final String ROOT = "/brickyard";

  private ZkAcls() {}

  /** A mutable list: ZooKeeper's client asks it {@code contains(null)}, which {@code List.of} refuses. */
  public static List<ACL> brickyard() {
    return new java.util.ArrayList<>(List.of(
        new ACL(Perms.ALL, id(Role.COORDINATOR)),
        new ACL(Perms.ALL, id(Role.NODE)),
        new ACL(Perms.READ, id(Role.ADMIN))));
  }

  public static Id id(Role role) {
    return new Id("x509", role.ou());
  }

  /** Every znode a Brickyard client creates gets {@link #brickyard()}. */
  public static ACLProvider provider() {
    return new ACLProvider() {
      @Override
      public List<ACL> getDefaultAcl() {
        return brickyard();
      }

      @Override
      public List<ACL> getAclForPath(String path) {
        return brickyard();
      }
    };
  }
}
