package io.brickyard.cli.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickyard.api.coordinator.v1.ApplyEvent;
import io.brickyard.api.coordinator.v1.ApplyRequest;
import io.brickyard.api.coordinator.v1.ClusterStatus;
import io.brickyard.api.coordinator.v1.PlanResponse;
import io.brickyard.api.coordinator.v1.SpecRequest;
import io.brickyard.api.coordinator.v1.StatusRequest;
import io.brickyard.cli.CliRun;
import io.brickyard.coordinator.CoordinatorMain;
import io.brickyard.coordinator.Pools;
import io.brickyard.coordinator.apply.Journal;
import io.brickyard.coordinator.nodes.AgentClients;
import io.brickyard.coordinator.nodes.NodeRegistry;
import io.brickyard.coordinator.server.CoordinatorServiceImpl;
import io.grpc.HandlerRegistry;
import io.grpc.Server;
import io.grpc.ServerMethodDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes the spec parser and validator through the real CLI and the coordinator service: at least
 * {@link #CASES} specs per run from {@link SpecMutator} (mutated examples/*.yaml and documents made
 * from nothing). For every one, {@code brickyard validate -f FILE} (picocli's execute(), in-process)
 * must end with exit 0, or with exit 2 and nothing but one-line errors on stderr (no stack trace, no
 * continuation line); for every invalid one, plan, apply and status through the coordinator service
 * must refuse it with zero calls to the (recording) agents.
 *
 * <p>A seeded generator in plain JUnit rather than jqwik: no new dependency, and a failure prints
 * the seed and case number that reproduce it ({@code -Dbrickyard.fuzz.seed=N -Dbrickyard.fuzz.cases=N}).
 * The default seed is fixed, so CI is deterministic; pass another to explore further.
 */
class SpecFuzzTest {
  static final int CASES = Integer.getInteger("brickyard.fuzz.cases", 10_000);
  private static final long SEED = Long.getLong("brickyard.fuzz.seed", 20261201L);
  /**
   * A case this slow is a hang (a case normally takes milliseconds): a guard, not a speed target. It was
   * 5 s until a busy 2-core machine made one ordinary case take 5.9 s.
   */
  private static final long SLOW_CASE_MS = 60_000;
  /** The first cases load the CLI's and the coordinator's classes: not counted for the slowest. */
  private static final int WARM_UP = 20;

  @TempDir Path dir;
  private final List<String> agentCalls = Collections.synchronizedList(new ArrayList<>());
  private final Pools pools = new Pools(Pools.fixed(2, "fuzz-apply"), Pools.fixed(2, "fuzz-read"));
  private Server agents;
  private AgentClients clients;
  private CoordinatorServiceImpl coordinator;

  @BeforeEach
  void start() throws Exception {
    String name = "fuzz-agents-" + System.nanoTime();
    // Every node name leads here, and every call of any agent service is recorded (then refused).
    agents = InProcessServerBuilder.forName(name).directExecutor().fallbackHandlerRegistry(new HandlerRegistry() {
      @Override
      public ServerMethodDefinition<?, ?> lookupMethod(String method, String authority) {
        agentCalls.add(method);
        return null;
      }
    }).build().start();
    clients = new AgentClients(a -> InProcessChannelBuilder.forName(name).directExecutor().build());
    coordinator = CoordinatorMain.service(new NodeRegistry(null), clients, new Journal(dir.resolve("state")), pools,
        Duration.ofSeconds(2), Duration.ofSeconds(2));
  }

  @AfterEach
  void stop() throws Exception {
    clients.close();
    agents.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    pools.close();
  }

  @Test
  void noSpecCrashesTheCliOrReachesAnAgentUnlessValid() throws Exception {
    List<String> examples = new ArrayList<>();
    try (Stream<Path> s = Files.list(Path.of("..", "examples"))) {
      for (Path p : s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        examples.add(Files.readString(p));
      }
    }
    assertThat(examples).hasSizeGreaterThanOrEqualTo(5);
    SpecMutator gen = new SpecMutator(SEED, examples);
    Path file = dir.resolve("spec.yaml");
    int valid = 0;
    long slowest = 0;
    int slowestCase = -1;
    long t0 = System.nanoTime();
    for (int i = 0; i < CASES; i++) {
      byte[] spec = gen.next();
      Files.write(file, spec);
      long c0 = System.nanoTime();
      boolean ok = check(file, spec, "seed " + SEED + " case " + i);
      long ms = (System.nanoTime() - c0) / 1_000_000;
      if (i >= WARM_UP && ms > slowest) {
        slowest = ms;
        slowestCase = i;
      }
      valid += ok ? 1 : 0;
    }
    System.out.printf("spec fuzz: %d cases (%d valid) in %.1f s, slowest case after warm-up %d ms (case %d), seed %d%n",
        CASES, valid, (System.nanoTime() - t0) / 1e9, slowest, slowestCase, SEED);
    assertThat(slowest).as("slowest case, ms").isLessThan(SLOW_CASE_MS);
    // a generator that only made garbage, or only the examples, would prove little
    assertThat(valid).as("valid cases").isBetween(CASES / 50, CASES - CASES / 5);
  }

  /** Checks one case; returns whether it was valid. */
  boolean check(Path file, byte[] spec, String which) {
    CliRun r = CliRun.of("validate", "-f", file.toString());
    String ctx = which + ":\n--- spec ---\n" + preview(spec) + "\n--- stderr ---\n" + r.err();
    assertThat(r.code()).as(ctx).isIn(0, 2);
    assertThat(r.err()).as(ctx).doesNotContain("\tat ").doesNotContain("Exception");
    Pattern line = Pattern.compile(Pattern.quote(file.toString()) + ": (error|warning): .+|brickyard: \\S.*");
    for (String l : r.err().split("\n", -1)) {
      if (!l.isEmpty()) {
        assertThat(l).as(ctx).matches(line);
      }
    }
    if (r.code() == 0) {
      assertThat(r.out()).as(ctx).startsWith(file + ": valid (");
      return true;
    }
    assertThat(r.err()).as(ctx).containsPattern("(: error: |brickyard: )");
    String yaml;
    try {
      yaml = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(spec)).toString();
    } catch (CharacterCodingException e) {
      return false; // the CLI refused to read it: nothing to send
    }
    refusedByTheCoordinator(yaml, ctx);
    return false;
  }

  /** Plan, apply and status of an invalid spec: refused, and not one agent call. */
  private void refusedByTheCoordinator(String yaml, String ctx) {
    Answer<PlanResponse> plan = new Answer<>();
    coordinator.plan(SpecRequest.newBuilder().setSpecYaml(yaml).setSourceName("fuzz").build(), plan);
    assertThat(plan.error).as(ctx).isNull();
    assertThat(plan.values).as(ctx).singleElement().satisfies(p -> {
      assertThat(p.getBlocked()).isTrue();
      assertThat(p.getValidation().getValid()).isFalse();
    });
    Answer<ApplyEvent> apply = new Answer<>();
    coordinator.apply(ApplyRequest.newBuilder().setSpecYaml(yaml).setSourceName("fuzz").build(), apply);
    assertThat(apply.error).as(ctx).isInstanceOf(StatusRuntimeException.class);
    assertThat(((StatusRuntimeException) apply.error).getStatus().getCode()).as(ctx).isEqualTo(Status.Code.INVALID_ARGUMENT);
    if (!yaml.isEmpty()) { // empty = "no spec" to status: the cluster as the node list knows it (empty here)
      Answer<ClusterStatus> status = new Answer<>();
      coordinator.status(StatusRequest.newBuilder().setSpecYaml(yaml).build(), status);
      assertThat(status.error).as(ctx).isInstanceOf(StatusRuntimeException.class);
    }
    assertThat(agentCalls).as(ctx).isEmpty();
  }

  private static String preview(byte[] spec) {
    String s = new String(spec, StandardCharsets.UTF_8);
    return s.length() > 4000 ? s.substring(0, 4000) + "... (" + s.length() + " chars)" : s;
  }

  /** A unary or streaming call's answer, taken synchronously (the service answers on the caller's thread). */
  private static final class Answer<T> implements StreamObserver<T> {
    final List<T> values = new ArrayList<>();
    Throwable error;

    @Override
    public void onNext(T v) {
      values.add(v);
    }

    @Override
    public void onError(Throwable t) {
      error = t;
    }

    @Override
    public void onCompleted() {}
  }
}
