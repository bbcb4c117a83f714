package io.brickyard.agent.nfs;

import io.brickyard.agent.op.Operation;
import io.brickyard.agent.op.RefusedException;
import io.brickyard.agent.storage.FstabWriter;
import io.brickyard.api.agent.v1.EnsureExportRequest;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.RemoveExportRequest;
import io.brickyard.common.exec.CommandFailedException;
import java.io.IOException;
import io.brickyard.agent.op.OperationFailedException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Exports: one file each (what ganesha loads at start), kept equal to what a running ganesha
 * serves by adding, updating and removing the export live over D-Bus, never by a restart.
 *
 * <p>Export_Id is inside every NFS file handle, so the agent holds the coordinator's ids to two
 * rules, against both the files and the live exports: a pseudo path keeps its id (another id for
 * it is refused: clients would get stale handles), and an id names one export (a second pseudo
 * path for it is refused). A failed live add or update puts the file back as it was, so the file
 * never claims what ganesha did not accept, and the next run tries again.
 */
final class ExportOps {
  private final GaneshaFiles files;

  ExportOps(GaneshaFiles files) {
    this.files = files;
  }

  OperationResult ensure(Operation op, EnsureExportRequest req) {
    ExportDefinition e = ExportDefinition.of(req);
    Path file = files.exportFile(e.id());
    String pseudo = e.pseudo().text();
    ExportFileSet disk = ExportFileSet.read(files);
    Optional<Path> sameId = disk.otherWithId(file, e.id());
    if (sameId.isPresent()) {
      throw new RefusedException("Export_Id " + e.id() + " is already declared by " + sameId.get()
          + "; two exports never share an id");
    }
    Optional<Map.Entry<Path, GaneshaConfigText.Identity>> samePseudo = disk.otherWithPseudo(file, pseudo);
    if (samePseudo.isPresent()) {
      throw new RefusedException("pseudo path " + pseudo + " is already exported with Export_Id "
          + samePseudo.get().getValue().id().map(String::valueOf).orElse("?") + " (" + samePseudo.get().getKey()
          + "); an export's id never changes (clients' file handles carry it): remove that export first");
    }
    Optional<String> filePseudo = disk.at(file).flatMap(GaneshaConfigText.Identity::pseudo);
    if (filePseudo.isPresent() && !filePseudo.get().equals(pseudo)) {
      throw new RefusedException("Export_Id " + e.id() + " is the export of " + filePseudo.get() + " (" + file
          + "), not of " + pseudo + "; an id is never reused for another export");
    }
    LiveExports live = LiveExports.read(op);
    Optional<GaneshaBus.Live> liveId = live.withId(e.id());
    if (liveId.isPresent() && !liveId.get().path().equals(pseudo)) {
      throw new RefusedException("ganesha serves Export_Id " + e.id() + " as " + liveId.get().path() + ", not " + pseudo
          + "; an id is never reused for another export");
    }
    Optional<GaneshaBus.Live> livePath = live.withPath(pseudo);
    if (livePath.isPresent() && livePath.get().id() != e.id()) {
      throw new RefusedException("ganesha serves " + pseudo + " with Export_Id " + livePath.get().id() + ", not "
          + e.id() + "; an export's id never changes: remove that export first");
    }

    String want = GaneshaConfigText.export(e);
    Optional<String> had = readIfExists(file);
    boolean fileChanged = !had.equals(Optional.of(want));
    if (fileChanged) {
      op.changeInProcess(List.of("brickyard:write-file", file.toString()), () -> write(file, want));
    }
    if (live.running()) {
      GaneshaBus bus = new GaneshaBus(op);
      try {
        if (liveId.isEmpty()) {
          bus.addExport(file, e.id());
        } else if (fileChanged) {
          bus.updateExport(file, e.id());
        }
      } catch (CommandFailedException ex) {
        if (fileChanged) {
          restore(op, file, had);
        }
        throw ex;
      }
    }
    String what = "export " + e.id() + " " + pseudo + " (volume " + e.volume() + ")";
    if (!op.changed()) {
      return op.unchanged(what + " already " + (live.running() ? "live and in " : "in ") + file);
    }
    return op.done(what + ": " + (fileChanged ? "wrote " + file : "file unchanged")
        + (!live.running() ? "; ganesha not running, it loads the file when it starts"
            : liveId.isEmpty() ? "; added live (AddExport)" : fileChanged ? "; updated live (UpdateExport)" : ""));
  }

  OperationResult remove(Operation op, RemoveExportRequest req) {
    int id = ExportDefinition.id("export_id", req.getExportId());
    Optional<String> expected = req.getPseudoPath().isEmpty() ? Optional.empty()
        : Optional.of(PseudoPath.parse("pseudo_path", req.getPseudoPath()).text());
    Path file = files.exportFile(id);
    Optional<GaneshaConfigText.Identity> onDisk = ExportFileSet.read(files).at(file);
    LiveExports live = LiveExports.read(op);
    Optional<GaneshaBus.Live> liveId = live.withId(id);
    if (expected.isPresent()) {
      Optional<String> diskPseudo = onDisk.flatMap(GaneshaConfigText.Identity::pseudo);
      if (diskPseudo.isPresent() && !diskPseudo.equals(expected)) {
        throw new RefusedException("Export_Id " + id + " is " + diskPseudo.get() + " (" + file + "), not "
            + expected.get() + "; nothing removed");
      }
      if (liveId.isPresent() && !liveId.get().path().equals(expected.get())) {
        throw new RefusedException("ganesha serves Export_Id " + id + " as " + liveId.get().path() + ", not "
            + expected.get() + "; nothing removed");
      }
    }
    if (liveId.isPresent() && onDisk.isEmpty()) {
      throw new RefusedException("ganesha serves Export_Id " + id + " (" + liveId.get().path() + ") but " + file
          + " does not exist: not an export brickyard made, not removed");
    }
    if (liveId.isPresent()) {
      new GaneshaBus(op).removeExport(id);
    }
    if (onDisk.isPresent()) {
      op.changeInProcess(List.of("brickyard:remove-file", file.toString()), () -> delete(file));
    }
    if (!op.changed()) {
      return op.unchanged("export " + id + " already absent (no file, not live)");
    }
    return op.done("removed export " + id + (liveId.isPresent() ? " live (RemoveExport) and" : "") + " its file " + file);
  }

  private void write(Path file, String content) throws IOException {
    Files.createDirectories(file.getParent());
    FstabWriter.removeStaleTemps(file);
    FstabWriter.atomicWrite(file, content.getBytes(StandardCharsets.UTF_8), PosixFilePermissions.fromString("rw-r--r--"));
  }

  /** Back to the content before this request (or no file), after ganesha refused the new one. */
  private void restore(Operation op, Path file, Optional<String> had) {
    if (had.isPresent()) {
      op.changeInProcess(List.of("brickyard:restore-file", file.toString()), () -> write(file, had.get()));
    } else {
      op.changeInProcess(List.of("brickyard:remove-file", file.toString()), () -> delete(file));
    }
  }

  /** Delete, then fsync the directory so the removal is durable like the writes. */
  private static void delete(Path file) throws IOException {
    Files.deleteIfExists(file);
    try (FileChannel d = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
      d.force(true);
    }
  }

  private static Optional<String> readIfExists(Path file) {
    try {
      return Files.isRegularFile(file) ? Optional.of(Files.readString(file)) : Optional.empty();
    } catch (IOException e) {
      throw new OperationFailedException("reading " + file + ": " + e.getMessage(), e);
    }
  }
}
