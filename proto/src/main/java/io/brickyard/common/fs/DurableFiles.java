package io.brickyard.common.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * Replaces a file so that after a crash or power loss it holds either the old content or the new,
 * never a torn or empty mix: temp file in the same directory, fsync, rename over the target, fsync
 * the directory (without that last step the rename itself may not survive a power loss). Any
 * failure (full disk, read-only mount, a path that is not a directory) leaves the target as it was,
 * removes the temp file, and surfaces as one {@link IOException} whose message names the file and
 * the operating system's reason, so a caller can hand it to an admin as it is.
 */
public final class DurableFiles {
  /** Every temp file this class makes ends so. */
  public static final String TEMP_SUFFIX = ".tmp";

  private DurableFiles() {}

  /** Writes {@code content} to {@code target} durably (see the class comment); creates the directory if needed. */
  public static void replace(Path target, byte[] content) throws IOException {
    replace(target, content, null, TEMP_SUFFIX);
  }

  /**
   * As {@link #replace(Path, byte[])}, with the file's permissions ({@code null}: the temp file's,
   * 0600) and the ending of the temp file's name (a program that has always named its temp files
   * one way keeps finding its own leftovers: {@code "." + name + ".*" + tempSuffix}).
   */
  public static void replace(Path target, byte[] content, Set<PosixFilePermission> mode, String tempSuffix)
      throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Path tmp = null;
    try {
      Files.createDirectories(dir);
      tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", tempSuffix);
      if (mode != null) {
        Files.setPosixFilePermissions(tmp, mode);
      }
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(content);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      tmp = null;
      syncDirectory(dir);
    } catch (IOException e) {
      throw new IOException("cannot write " + target + ": " + reason(e), e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // the directory itself is failing; the next start's removeTemps cleans up
        }
      }
    }
  }

  /**
   * The glob matching the temp files {@link #replace} makes for targets matching {@code targetGlob}
   * ({@code ".nodes.conf.*.tmp"} for {@code "nodes.conf"}).
   */
  public static String tempsOf(String targetGlob) {
    return "." + targetGlob + ".*" + TEMP_SUFFIX;
  }

  /**
   * Deletes the regular files of {@code dir} matching {@code glob}: the temp files a crash between
   * create and rename left behind (none ever held live content: the rename never happened). Call
   * it at start, before any write; a missing directory has none. The glob is the caller's own
   * (see {@link #tempsOf}), never a bare "*.tmp": the directory may be shared with other programs.
   */
  public static void removeTemps(Path dir, String glob) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, glob)) {
      for (Path p : ds) {
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          Files.delete(p);
        }
      }
    } catch (IOException e) {
      throw new IOException("cannot clean up " + dir + ": " + reason(e), e);
    }
  }

  /** fsync of a directory: makes the entries created, renamed or deleted in it durable. */
  public static void syncDirectory(Path dir) throws IOException {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    }
  }

  /**
   * The operating system's words ("No space left on device", "Not a directory"), after the path
   * they are about (which may be a parent of the file the caller wrote).
   */
  public static String reason(IOException e) {
    if (e instanceof FileSystemException f) {
      String why = f.getReason() != null ? f.getReason()
          : f instanceof FileAlreadyExistsException ? "exists and is not a directory"
          : f instanceof NoSuchFileException ? "no such file or directory"
          : f instanceof AccessDeniedException ? "permission denied"
          : f.getClass().getSimpleName();
      return f.getFile() == null ? why : f.getFile() + ": " + why;
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }
}
