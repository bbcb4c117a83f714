package io.brickyard.agent.vm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resolves kernel modules to the files to {@code insmod}, dependencies first, from
 * {@code /lib/modules/<version>/modules.dep} (what modprobe uses). The initramfs has no modprobe
 * and no depmod database, so the order is computed here on the host.
 */
final class KernelModules {
  /** Module name (dashes normalised to underscores) -> its path relative to the modules dir. */
  private final Map<String, String> paths = new LinkedHashMap<>();
  /** Relative path -> relative paths of its dependencies, as listed (direct and indirect). */
  private final Map<String, List<String>> deps = new LinkedHashMap<>();

  KernelModules(String modulesDep) {
    for (String line : modulesDep.split("\n")) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String file = line.substring(0, colon).strip();
      String rest = line.substring(colon + 1).strip();
      deps.put(file, rest.isEmpty() ? List.of() : List.of(rest.split("\\s+")));
      paths.put(nameOf(file), file);
    }
  }

  static KernelModules load(Path modulesDir) throws IOException {
    return new KernelModules(Files.readString(modulesDir.resolve("modules.dep")));
  }

  /** "kernel/drivers/md/dm-thin-pool.ko" (or .ko.xz/.ko.zst) -> "dm_thin_pool". */
  static String nameOf(String file) {
    String base = file.substring(file.lastIndexOf('/') + 1);
    return base.substring(0, base.indexOf(".ko")).replace('-', '_');
  }

  /**
   * Files to load, in an order where every module comes after all its dependencies. Built-in
   * modules (absent from modules.dep) are skipped: they need no loading.
   */
  List<String> loadOrder(List<String> modules) {
    Set<String> out = new LinkedHashSet<>();
    for (String m : modules) {
      String file = paths.get(m.replace('-', '_'));
      if (file != null) {
        visit(file, out, new LinkedHashSet<>());
      }
    }
    return new ArrayList<>(out);
  }

  boolean known(String module) {
    return paths.containsKey(module.replace('-', '_'));
  }

  private void visit(String file, Set<String> out, Set<String> path) {
    if (out.contains(file) || !path.add(file)) {
      return;
    }
    List<String> d = deps.getOrDefault(file, List.of());
    // modules.dep lists a module's dependencies so that the LAST one must be loaded first.
    for (int i = d.size() - 1; i >= 0; i--) {
      visit(d.get(i), out, path);
    }
    out.add(file);
  }
}
