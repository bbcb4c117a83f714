package io.brickyard.coordinator.spec;

/**
 * Which physical disk a device path must be ({@code wwn}, {@code serial} as lsblk reports them);
 * "" = not pinned. The agent refuses a device step when the path names another disk: /dev/sdX
 * names are given out in probe order and may point at another disk after a reboot.
 */
public record DiskPin(String wwn, String serial) {
  public static final DiskPin NONE = new DiskPin("", "");

  public boolean pinned() {
    return !wwn.isEmpty() || !serial.isEmpty();
  }
}
