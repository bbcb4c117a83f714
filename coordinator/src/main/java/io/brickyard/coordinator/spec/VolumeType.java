package io.brickyard.coordinator.spec;

import java.util.Arrays;
import java.util.List;

/** Gluster volume layouts, named as in gluster's own documentation. */
public enum VolumeType {
  DISTRIBUTE("distribute"),
  REPLICATE("replicate"),
  /** replica 3 arbiter 1; several sets of three make a distributed arbiter volume. */
  ARBITER("arbiter"),
  DISTRIBUTED_REPLICATE("distributed-replicate"),
  DISPERSE("disperse"),
  DISTRIBUTED_DISPERSE("distributed-disperse");

  private final String yamlName;

  VolumeType(String yamlName) {
    this.yamlName = yamlName;
  }

  public String yamlName() {
    return yamlName;
  }

  public boolean replicated() {
    return this == REPLICATE || this == ARBITER || this == DISTRIBUTED_REPLICATE;
  }

  public boolean dispersed() {
    return this == DISPERSE || this == DISTRIBUTED_DISPERSE;
  }

  public static List<String> yamlNames() {
    return Arrays.stream(values()).map(VolumeType::yamlName).toList();
  }

  /** Null when unknown. */
  public static VolumeType fromYaml(String s) {
    return Arrays.stream(values()).filter(t -> t.yamlName.equals(s)).findFirst().orElse(null);
  }

  @Override
  public String toString() {
    return yamlName;
  }
}
