package io.brickyard.agent.storage;

import io.brickyard.common.fs.DurableFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Set;

/**
 * Replaces fstab so that at every instant the file on disk is either the old one or the new
 * one, never a torn mix, even if the agent or the machine dies mid-write: the new content goes
 * to a temp file in the same directory, is fsync'ed, renamed over the target, and the directory
 * is fsync'ed so the rename itself is durable. A copy of the previous file is kept (written the
 * same way) before every change, so an admin can always diff or restore.
 */
public final class FstabWriter {
  private static final Set<PosixFilePermission> DEFAULT_MODE = PosixFilePermissions.fromString("rw-r--r--");

  private static final String TEMP_SUFFIX = ".brickyard-tmp";

  private FstabWriter() {}

  /**
   * Writes {@code edited} to {@code fstab}, after copying the current file to {@code backup}.
   * Fails, writing nothing, when the file changed on disk since {@code edited} was loaded:
   * someone else edited it and their change must not be lost.
   */
  public static void write(Path fstab, FstabFile edited, Path backup) throws IOException {
    Path target = Files.isSymbolicLink(fstab) ? fstab.toRealPath() : fstab;
    byte[] now = Files.exists(target) ? Files.readAllBytes(target) : new byte[0];
    if (!Arrays.equals(now, edited.original())) {
      throw new IOException(target + " changed while brickyard was editing it; not overwriting, retry");
    }
    removeStaleTemps(target);
    Set<PosixFilePermission> mode = Files.exists(target)
        ? Files.getPosixFilePermissions(target) : DEFAULT_MODE;
    if (Files.exists(target)) {
      atomicWrite(backup, now, mode);
    }
    atomicWrite(target, edited.bytes(), mode);
  }

  /**
   * A kill between creating the temp file and renaming it leaves one behind; it never holds the
   * live configuration (the rename did not happen), so the next write removes it.
   */
  public static void removeStaleTemps(Path target) throws IOException {
    DurableFiles.removeTemps(target.toAbsolutePath().getParent(), "." + target.getFileName() + ".*" + TEMP_SUFFIX);
  }

  /**
   * {@link DurableFiles#replace} with this file's permissions and the agent's temp-file ending.
   * Public for the agent's other files that must never be torn (the firewall rule ledger,
   * ganesha's configuration).
   */
  public static void atomicWrite(Path target, byte[] content, Set<PosixFilePermission> mode) throws IOException {
    DurableFiles.replace(target, content, mode, TEMP_SUFFIX);
  }
}
