package io.brickyard.coordinator.nfs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cluster's Export_Id registry: which id each export (by pseudo path) has. The id is inside
 * every NFS file handle, so it must be the same on every node, never change for an export and never
 * be given to another one (docs/nfs.md, "Export_Id").
 *
 * <p>Kept in glusterd's own replicated store, as the option {@value #OPTION} of the NFS recovery
 * volume ("1:/vol1,2:/vol2"): every peer holds a copy, every node and coordinator reads it with
 * {@code volume info}, it lives exactly as long as the NFS service's state, and no file on the
 * coordinator's host can disagree with it. Entries are never removed: an export taken out of the
 * spec keeps its id, so a later export never gets it (re-adding the same pseudo path gets it back).
 * New exports get the next id after the highest ever given.
 */
public final class ExportIds {
  public static final String OPTION = "user.brickyard.export-ids";
  static final int MAX_ID = 65535;
  private static final Pattern ENTRY = Pattern.compile("([1-9][0-9]{0,4}):(/[A-Za-z0-9_./-]*)");
  private final TreeMap<Integer, String> byId;

  private ExportIds(Map<Integer, String> byId) {
    this.byId = new TreeMap<>(byId);
  }

  public static ExportIds empty() {
    return new ExportIds(Map.of());
  }

  /**
   * The registry from the option's value; an entry that does not parse, or a second id for a pseudo
   * path, is left out and named in {@code problems} (the plan shows them as warnings).
   */
  public static ExportIds parse(String text, List<String> problems) {
    Map<Integer, String> m = new TreeMap<>();
    if (text == null || text.isBlank()) {
      return new ExportIds(m);
    }
    for (String e : text.split(",")) {
      Matcher x = ENTRY.matcher(e.trim());
      int id = x.matches() ? Integer.parseInt(x.group(1)) : 0;
      if (id < 1 || id > MAX_ID) {
        problems.add(OPTION + ": entry '" + e + "' is not ID:PSEUDO-PATH with ID 1.." + MAX_ID + "; ignored");
      } else if (m.containsValue(x.group(2)) || m.containsKey(id)) {
        problems.add(OPTION + ": entry '" + e + "' repeats an id or a pseudo path; ignored");
      } else {
        m.put(id, x.group(2));
      }
    }
    return new ExportIds(m);
  }

  public Optional<Integer> id(String pseudoPath) {
    return byId.entrySet().stream().filter(e -> e.getValue().equals(pseudoPath)).map(Map.Entry::getKey).findFirst();
  }

  public Optional<String> pseudoPath(int id) {
    return Optional.ofNullable(byId.get(id));
  }

  /**
   * Records ids that exports already carry on the nodes and the registry lacks (a registry lost
   * with its volume, or exports made before it): the nodes are the truth, and keeping their ids
   * keeps their clients' file handles valid. An id or pseudo path the registry already has is
   * not taken over.
   */
  public ExportIds adopt(Map<Integer, String> liveByNode) {
    Map<Integer, String> m = new TreeMap<>(byId);
    liveByNode.forEach((id, pseudo) -> {
      if (!m.containsKey(id) && !m.containsValue(pseudo) && id >= 1 && id <= MAX_ID) {
        m.put(id, pseudo);
      }
    });
    return new ExportIds(m);
  }

  /** This registry plus an id for each pseudo path it does not have yet, in the order given. */
  public ExportIds assign(List<String> pseudoPaths) {
    Map<Integer, String> m = new TreeMap<>(byId);
    int next = byId.isEmpty() ? 1 : byId.lastKey() + 1;
    for (String p : pseudoPaths) {
      if (!m.containsValue(p)) {
        if (next > MAX_ID) {
          throw new IllegalStateException("no Export_Id left: " + MAX_ID + " were given");
        }
        m.put(next++, p);
      }
    }
    return new ExportIds(m);
  }

  /** The option's value, ids ascending. */
  public String text() {
    List<String> out = new ArrayList<>();
    byId.forEach((id, p) -> out.add(id + ":" + p));
    return String.join(",", out);
  }

  public Map<Integer, String> asMap() {
    return Collections.unmodifiableMap(byId);
  }

  @Override
  public String toString() {
    return text();
  }
}
