package io.brickyard.agent.nfs;

import io.brickyard.common.net.Cidr;
import io.brickyard.agent.gluster.GlusterNames;
import io.brickyard.api.agent.v1.EnsureExportRequest;
import io.brickyard.api.agent.v1.ExportAccess;
import io.brickyard.api.agent.v1.ExportClient;
import io.brickyard.api.agent.v1.ExportSquash;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * One export as the agent will write it, every value checked: a request is hostile until this
 * record exists. Names, paths and addresses are held to character sets that cannot close a quote
 * or a block, or start a new statement, in ganesha's configuration syntax ({@link GaneshaConfigText}
 * relies on that), and to what ganesha itself accepts.
 */
record ExportDefinition(int id, String volume, PseudoPath pseudo, Access access, Squash squash,
    List<ClientBlock> clients, List<Integer> protocols) {

  static final int MAX_ID = 65535;

  /** Access_Type values; NONE is ganesha's "None" (no access unless a CLIENT block gives some). */
  enum Access {
    RW, RO, NONE;

    String config() {
      return this == NONE ? "None" : name();
    }
  }

  enum Squash {
    ROOT("root_squash"), NONE("no_root_squash"), ALL("all_squash");

    final String config;

    Squash(String config) {
      this.config = config;
    }
  }

  /** A CLIENT block: who (network addresses, checked and written as given), and how; access null = the export's. */
  record ClientBlock(List<String> cidrs, Access access) {}

  ExportDefinition {
    clients = List.copyOf(clients);
    protocols = List.copyOf(protocols);
  }

  static int id(String field, int id) {
    if (id < 1 || id > MAX_ID) {
      throw new IllegalArgumentException(field + ": Export_Id must be 1.." + MAX_ID + " (0 is ganesha's pseudo root), got "
          + Integer.toUnsignedString(id));
    }
    return id;
  }

  static ExportDefinition of(EnsureExportRequest req) {
    int id = id("export_id", req.getExportId());
    String volume = GlusterNames.volume("volume", req.getVolume());
    PseudoPath pseudo = PseudoPath.parse("pseudo_path", req.getPseudoPath());
    Access access = access("access", req.getAccess(), Access.RW);
    Squash squash = squash(req.getSquash());
    List<ClientBlock> clients = new ArrayList<>();
    for (int i = 0; i < req.getClientsCount(); i++) {
      ExportClient c = req.getClients(i);
      String field = "clients[" + i + "]";
      if (c.getCidrsCount() == 0) {
        throw new IllegalArgumentException(field + ".cidrs: at least one address or network is required");
      }
      List<String> cidrs = new ArrayList<>();
      for (int j = 0; j < c.getCidrsCount(); j++) {
        cidrs.add(Cidr.parseSource(field + ".cidrs[" + j + "]", c.getCidrs(j)).text());
      }
      clients.add(new ClientBlock(cidrs, access(field + ".access", c.getAccess(), null)));
    }
    return new ExportDefinition(id, volume, pseudo, access, squash, clients, protocols(req.getProtocolsList()));
  }

  private static Access access(String field, ExportAccess a, Access unspecified) {
    return switch (a) {
      case EXPORT_ACCESS_UNSPECIFIED -> unspecified;
      case EXPORT_ACCESS_RW -> Access.RW;
      case EXPORT_ACCESS_RO -> Access.RO;
      case EXPORT_ACCESS_NONE -> Access.NONE;
      default -> throw new IllegalArgumentException(field + ": unknown access value " + a);
    };
  }

  private static Squash squash(ExportSquash s) {
    return switch (s) {
      case EXPORT_SQUASH_UNSPECIFIED, EXPORT_SQUASH_ROOT -> Squash.ROOT;
      case EXPORT_SQUASH_NONE -> Squash.NONE;
      case EXPORT_SQUASH_ALL -> Squash.ALL;
      default -> throw new IllegalArgumentException("squash: unknown value " + s);
    };
  }

  /** NFS versions 3 and 4 only (no 9P); sorted, each once; empty = 4. */
  static List<Integer> protocols(List<Integer> requested) {
    TreeSet<Integer> p = new TreeSet<>();
    for (int v : requested) {
      if (v != 3 && v != 4) {
        throw new IllegalArgumentException("protocols: " + Integer.toUnsignedString(v) + " is not an NFS version "
            + "brickyard serves (3 or 4)");
      }
      p.add(v);
    }
    return p.isEmpty() ? List.of(4) : List.copyOf(p);
  }
}
