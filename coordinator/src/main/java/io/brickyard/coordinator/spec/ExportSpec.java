package io.brickyard.coordinator.spec;

import io.brickyard.common.net.Cidr;
import java.util.List;

/**
 * One NFS export of a whole gluster volume.
 *
 * @param volume the spec volume exported
 * @param pseudoPath its NFSv4 path (default "/" + volume); what identifies the export, and what its
 *     Export_Id is registered under
 * @param access the export's access for clients not listed with their own
 * @param squash root squashing (default {@link Squash#ROOT_SQUASH})
 * @param clients who may mount it, with their access; the firewall opens NFS to exactly these networks
 * @param protocols NFS versions, 4 and/or 3 (default 4)
 */
public record ExportSpec(String volume, String pseudoPath, Access access, Squash squash, List<Client> clients,
    List<Integer> protocols) {
  public static final List<Integer> DEFAULT_PROTOCOLS = List.of(4);

  public ExportSpec {
    clients = List.copyOf(clients);
    protocols = List.copyOf(protocols);
  }

  public static String defaultPseudoPath(String volume) {
    return "/" + volume;
  }

  /** Read-write or read-only. */
  public enum Access implements YamlEnum {
    RW("rw"), RO("ro");

    private final String yaml;

    Access(String yaml) {
      this.yaml = yaml;
    }

    @Override
    public String yamlName() {
      return yaml;
    }

    public static Access fromYaml(String s) {
      return YamlEnum.fromYaml(Access.class, s);
    }
  }

  /** Ganesha's Squash values, spelled as exports(5) does. */
  public enum Squash implements YamlEnum {
    ROOT_SQUASH("root_squash"), NO_ROOT_SQUASH("no_root_squash"), ALL_SQUASH("all_squash");

    private final String yaml;

    Squash(String yaml) {
      this.yaml = yaml;
    }

    @Override
    public String yamlName() {
      return yaml;
    }

    public static Squash fromYaml(String s) {
      return YamlEnum.fromYaml(Squash.class, s);
    }
  }

  /**
   * Networks that may mount the export.
   *
   * @param cidrs networks or single addresses ("10.0.0.0/24", "10.0.0.5/32")
   * @param access their access (default: the export's)
   */
  public record Client(List<Cidr> cidrs, Access access) {
    public Client {
      cidrs = List.copyOf(cidrs);
    }
  }
}
