package io.brickyard.coordinator.day2;

import io.brickyard.api.agent.v1.BrickHealInfo;
import io.brickyard.api.agent.v1.GetHealInfoRequest;
import io.brickyard.api.agent.v1.HealEntry;
import io.brickyard.api.agent.v1.HealInfo;
import io.brickyard.api.coordinator.v1.HealResponse;
import io.brickyard.api.coordinator.v1.SplitBrainResolution;
import io.brickyard.coordinator.nodes.AgentClients;
import io.brickyard.coordinator.nodes.NodeAddress;
import io.brickyard.coordinator.nodes.NodeProbe;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * {@code brickyard heal VOLUME [--info|--split-brain]} (docs/day2.md): asks the first known node
 * that answers for {@code volume heal VOL info [split-brain]}, and for each entry in split-brain
 * the commands gluster offers to resolve it, with its policies: {@code bigger-file} and
 * {@code latest-mtime} (files) and {@code source-brick} naming each brick that holds a copy. They
 * are shown, never run: which copy is right is the admin's call, after looking at them.
 */
public final class HealReader {
  private static final Pattern VOLUME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_-]{0,63}");
  private final AgentClients clients;
  private final Supplier<List<NodeAddress>> nodes;
  private final Duration deadline;

  public HealReader(AgentClients clients, Supplier<List<NodeAddress>> nodes, Duration deadline) {
    this.clients = clients;
    this.nodes = nodes;
    this.deadline = deadline;
  }

  public HealResponse read(String volume, boolean splitBrain) {
    if (!VOLUME.matcher(volume).matches()) {
      throw Status.INVALID_ARGUMENT.withDescription("VOLUME: '" + volume + "' is not a volume name").asRuntimeException();
    }
    List<String> why = new ArrayList<>();
    for (NodeAddress n : nodes.get()) {
      HealInfo info;
      try {
        // heal info crawls every brick's index: give it more than a quick read
        info = clients.gluster(n, deadline.multipliedBy(4)).getHealInfo(GetHealInfoRequest.newBuilder()
            .setVolume(volume).setSplitBrain(splitBrain).build());
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() == Status.Code.UNAVAILABLE || e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED) {
          why.add(n.name() + ": " + NodeProbe.describe(e));
          continue;
        }
        throw e;
      }
      HealResponse.Builder out = HealResponse.newBuilder().setNode(n.name()).setInfo(info);
      if (splitBrain) {
        out.addAllResolutions(resolutions(info));
      }
      return out.build();
    }
    throw Status.UNAVAILABLE.withDescription("no node answered (" + String.join("; ", why) + ")").asRuntimeException();
  }

  /** Per entry in split-brain: gluster's resolution commands, for each brick listing it a source-brick one. */
  static List<SplitBrainResolution> resolutions(HealInfo info) {
    Map<String, List<String>> holders = new LinkedHashMap<>();
    for (BrickHealInfo b : info.getBricksList()) {
      for (HealEntry f : b.getFilesList()) {
        holders.computeIfAbsent(target(f), k -> new ArrayList<>()).add(b.getBrick());
      }
    }
    List<SplitBrainResolution> out = new ArrayList<>();
    String v = info.getVolume();
    holders.forEach((path, bricks) -> {
      SplitBrainResolution.Builder r = SplitBrainResolution.newBuilder().setPath(path);
      String base = "gluster volume heal " + v + " split-brain ";
      r.addCommands(base + "bigger-file " + path);
      r.addCommands(base + "latest-mtime " + path);
      bricks.stream().distinct().forEach(b -> r.addCommands(base + "source-brick " + b + " " + path));
      out.add(r.build());
    });
    return out;
  }

  /** The entry as the split-brain commands take it: its path from the volume's root, or gfid:UUID. */
  static String target(HealEntry f) {
    String p = f.getPath();
    if (p.startsWith("<gfid:") && p.endsWith(">")) {
      return "gfid:" + p.substring(6, p.length() - 1);
    }
    return p.startsWith("/") ? p : "gfid:" + f.getGfid();
  }
}
