package io.brickyard.coordinator.spec;

import java.util.Arrays;
import java.util.List;

/**
 * An enum the spec spells by names of its own ({@code distributed-replicate}, {@code no_root_squash}):
 * the one lookup from a spec's word to the constant, so every such enum reads and lists its names alike.
 */
interface YamlEnum {
  String yamlName();

  /** The constant of {@code type} spelled {@code s}; null when unknown (the caller names the field). */
  static <E extends Enum<E> & YamlEnum> E fromYaml(Class<E> type, String s) {
    return Arrays.stream(type.getEnumConstants()).filter(e -> e.yamlName().equals(s)).findFirst().orElse(null);
  }

  /** Every spelling, in declaration order (for error messages). */
  static <E extends Enum<E> & YamlEnum> List<String> yamlNames(Class<E> type) {
    return Arrays.stream(type.getEnumConstants()).map(YamlEnum::yamlName).toList();
  }
}
