package io.brickyard.agent.nfs;

import java.io.IOException;
import io.brickyard.agent.op.OperationFailedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The export files on disk, as ganesha's %dir will read them at its next start: file to the
 * Export_Id and Pseudo it declares. Read on every request (the node is the truth).
 */
final class ExportFileSet {
  private final Map<Path, GaneshaConfigText.Identity> files;

  private ExportFileSet(Map<Path, GaneshaConfigText.Identity> files) {
    this.files = files;
  }

  static ExportFileSet read(GaneshaFiles where) {
    Map<Path, GaneshaConfigText.Identity> m = new TreeMap<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(where.exportDir(), GaneshaFiles.EXPORT_GLOB)) {
      for (Path p : ds) {
        if (Files.isRegularFile(p)) {
          m.put(p, GaneshaConfigText.identity(Files.readString(p)));
        }
      }
    } catch (NoSuchFileException e) {
      // no directory yet: no exports
    } catch (IOException e) {
      throw new OperationFailedException("reading " + where.exportDir() + ": " + e.getMessage(), e);
    }
    return new ExportFileSet(m);
  }

  Map<Path, GaneshaConfigText.Identity> files() {
    return files;
  }

  /** Another file (not {@code self}) that declares this id. */
  Optional<Path> otherWithId(Path self, int id) {
    return files.entrySet().stream().filter(e -> !e.getKey().equals(self))
        .filter(e -> e.getValue().id().equals(Optional.of(id))).map(Map.Entry::getKey).findFirst();
  }

  /** Another file (not {@code self}) that declares this pseudo path. */
  Optional<Map.Entry<Path, GaneshaConfigText.Identity>> otherWithPseudo(Path self, String pseudo) {
    return files.entrySet().stream().filter(e -> !e.getKey().equals(self))
        .filter(e -> e.getValue().pseudo().equals(Optional.of(pseudo))).findFirst();
  }

  Optional<GaneshaConfigText.Identity> at(Path file) {
    return Optional.ofNullable(files.get(file));
  }
}
