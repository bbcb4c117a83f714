package io.brickyard.agent.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
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
    Path dir = target.toAbsolutePath().getParent();
    String glob = "." + target.getFileName() + ".*" + TEMP_SUFFIX;
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, glob)) {
      for (Path p : ds) {
        Files.deleteIfExists(p);
      }
    }
  }

  /**
   * Temp file in the same directory, fsync, rename, fsync the directory. Public for the agent's
   * other files that must never be torn (the firewall rule ledger, ganesha's configuration).
   */
  public static void atomicWrite(Path target, byte[] content, Set<PosixFilePermission> mode) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", TEMP_SUFFIX);
    try {
      Files.getFileAttributeView(tmp, PosixFileAttributeView.class).setPermissions(mode);
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buf = ByteBuffer.wrap(content);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("cannot atomically replace " + target + ": " + e.getMessage(), e);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    }
  }
}
