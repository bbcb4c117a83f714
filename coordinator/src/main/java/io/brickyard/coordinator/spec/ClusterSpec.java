package io.brickyard.coordinator.spec;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The desired state of one cluster, immutable, with every default applied. Obtain one from
 * {@link SpecParser}; a ClusterSpec built by hand should go through {@link SpecValidator}.
 */
public record ClusterSpec(String name, List<NodeSpec> nodes, Optional<FirewallSpec> firewall,
    StorageSpec storage, List<VolumeSpec> volumes, Optional<NfsSpec> nfs, Optional<CoordinationSpec> coordination) {
  public ClusterSpec {
    nodes = List.copyOf(nodes);
    volumes = List.copyOf(volumes);
  }

  /** The spec without a {@code coordination:} section (no automatic failover, docs/ha.md). */
  public ClusterSpec(String name, List<NodeSpec> nodes, Optional<FirewallSpec> firewall, StorageSpec storage,
      List<VolumeSpec> volumes, Optional<NfsSpec> nfs) {
    this(name, nodes, firewall, storage, volumes, nfs, Optional.empty());
  }

  /** The spec without an NFS service (tests, and specs of storage only). */
  public ClusterSpec(String name, List<NodeSpec> nodes, Optional<FirewallSpec> firewall, StorageSpec storage,
      List<VolumeSpec> volumes) {
    this(name, nodes, firewall, storage, volumes, Optional.empty());
  }

  public Optional<NodeSpec> node(String nodeName) {
    return nodes.stream().filter(n -> n.name().equals(nodeName)).findFirst();
  }

  /** The node a brick host names: its name first, else its glusterAddress. */
  public Optional<NodeSpec> nodeForBrickHost(String host) {
    return node(host).or(() -> nodes.stream().filter(n -> n.glusterAddress().equals(host)).findFirst());
  }

  public Optional<VolumeSpec> volume(String volumeName) {
    return volumes.stream().filter(v -> v.name().equals(volumeName)).findFirst();
  }

  /** The storage entries that apply to one node (its override, else the defaults). */
  public List<StorageEntry> storageFor(String nodeName) {
    return storage.forNode(nodeName);
  }

  /**
   * The spec as deterministic YAML with every default spelled out: comments, key order, quoting
   * and size spelling ("1024M" vs "1G") do not change it, any change of meaning does.
   */
  public String canonicalText() {
    return CanonicalForm.yaml(this);
  }

  /** Hex SHA-256 of {@link #canonicalText()}, for journaling which spec a run applied. */
  public String sha256() {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256")
          .digest(canonicalText().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
