package io.brickyard.coordinator.spec;

import java.util.List;

/** Gluster volume layouts, named as in gluster's own documentation. */
public enum VolumeType implements YamlEnum {
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

  @Override
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
    return YamlEnum.yamlNames(VolumeType.class);
  }

  /** Null when unknown. */
  public static VolumeType fromYaml(String s) {
    return YamlEnum.fromYaml(VolumeType.class, s);
  }

  @Override
  public String toString() {
    return yamlName;
  }
}
