package io.brickyard.coordinator.spec;

/**
 * A thin pool size: either absolute bytes ({@link Size}) or a share of the volume group
 * ({@link PercentSize}), the two forms {@code lvcreate} accepts (-L vs -l).
 */
public sealed interface PoolSize permits Size, PercentSize {
  /** The size as written for lvcreate and in the canonical spec: "5G", "100%FREE". */
  String lvmArgument();

  static PoolSize parse(String text) {
    return text.contains("%") ? PercentSize.parse(text) : Size.parse(text);
  }
}
