package io.brickyard.agent.vm;

import com.google.gson.Gson;
import io.brickyard.api.agent.v1.CommandRecord;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.common.exec.Command;
import io.brickyard.common.exec.CommandResult;
import io.brickyard.common.exec.CommandRunner;
import io.grpc.StatusRuntimeException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The guest side's only output channel: one {@code BRICKYARD-VM {json}} console line per step,
 * named by a check the host test looks up in {@link VmResults}. It records what an RPC answered
 * (changed, commands, warnings, or the gRPC error) and never judges it.
 */
final class VmSteps {
  private static final Gson GSON = new Gson();
  private final CommandRunner runner;

  VmSteps(CommandRunner runner) {
    this.runner = runner;
  }

  /** Calls one mutating RPC; returns its changed flag, or null when it failed (error recorded). */
  Boolean call(String check, Supplier<OperationResult> rpc) {
    Map<String, Object> m = new LinkedHashMap<>();
    long start = System.nanoTime();
    Boolean changed = null;
    try {
      OperationResult r = rpc.get();
      changed = r.getChanged();
      m.put("changed", changed);
      m.put("dryRun", r.getDryRun());
      m.put("summary", r.getSummary());
      m.put("warnings", r.getWarningsList());
      m.put("commands", r.getCommandsList().stream().map(CommandRecord::getArgvList).toList());
      m.put("plannedOnly", r.getCommandsList().stream().allMatch(CommandRecord::getPlannedOnly));
    } catch (StatusRuntimeException e) {
      m.put("error", e.getStatus().getCode().name());
      m.put("message", e.getStatus().getDescription());
    }
    m.put("millis", (System.nanoTime() - start) / 1_000_000);
    emit(check, m);
    return changed;
  }

  /** Runs a plain command (setup or observation outside the services) and records its result. */
  CommandResult command(String check, Command c) {
    CommandResult r = runner.run(c);
    emit(check, Map.of("argv", c.argv(), "exit", r.exitCode(), "stdout", r.stdout(), "stderr", r.stderr(),
        "millis", r.duration().toMillis()));
    return r;
  }

  static void emit(String check, Map<String, ?> fields) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("check", check);
    m.putAll(fields);
    System.out.println(VmResults.PREFIX + GSON.toJson(m));
    System.out.flush();
  }
}
