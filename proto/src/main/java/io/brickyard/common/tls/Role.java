package io.brickyard.common.tls;

/**
 * What a certificate may do, carried as the subject's OU. A node certificate lets a node serve
 * and be verified, but cannot drive another node's agent: only coordinator and admin may.
 */
public enum Role {
  NODE, COORDINATOR, ADMIN;

  public String ou() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static Role fromOu(String ou) {
    for (Role r : values()) {
      if (r.ou().equalsIgnoreCase(ou)) {
        return r;
      }
    }
    return null;
  }

  /** The role a certificate carries in its subject's OU, or null: the one reading, also used by ZooKeeper's ACLs. */
  public static Role of(java.security.cert.X509Certificate cert) {
    return RoleAuthorizer.roleOf(cert);
  }
}
