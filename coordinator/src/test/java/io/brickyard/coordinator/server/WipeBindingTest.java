package io.brickyard.coordinator.server;

import io.brickyard.coordinator.CoordinatorMain;
import io.brickyard.coordinator.Pools;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickyard.api.agent.v1.CommandRecord;
import io.brickyard.api.agent.v1.DeviceIdentity;
import io.brickyard.api.agent.v1.EnsureServiceRequest;
import io.brickyard.api.agent.v1.EnsureXfsRequest;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.ServiceManagerServiceGrpc;
import io.brickyard.api.agent.v1.StorageServiceGrpc;
import io.brickyard.api.coordinator.v1.ApplyEvent;
import io.brickyard.api.coordinator.v1.ApplyRequest;
import io.brickyard.api.coordinator.v1.PlanStep;
import io.brickyard.coordinator.apply.Applier;
import io.brickyard.coordinator.apply.ApplyWorkflow;
import io.brickyard.coordinator.apply.Journal;
import io.brickyard.coordinator.nodes.AgentClients;
import io.brickyard.coordinator.nodes.NodeProbe;
import io.brickyard.coordinator.nodes.NodeRegistry;
import io.brickyard.coordinator.plan.Plan;
import io.brickyard.coordinator.plan.Planner;
import io.brickyard.coordinator.spec.SpecParser;
import io.brickyard.coordinator.status.StatusCollector;
import io.brickyard.coordinator.testing.InProcessAgents;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A wipe is one act an admin approves on a plan that showed the disk: the plan carries the device
 * identity and its digest is in the fingerprint; the real request carries the digest its dry run
 * reported; an apply that would erase data without a reviewed plan's fingerprint runs nothing.
 * The agent here is a stand-in that answers like the real one for a dirty /dev/sdb (the agent's
 * own checks are proven in PvVgOpsTest and the lab/VM tiers).
 */
class WipeBindingTest {
  @TempDir Path state;
  private final ExecutorService pool = Executors.newFixedThreadPool(4);
  private final InProcessAgents agents = new InProcessAgents("wipe-");
  private final List<String> realDigests = Collections.synchronizedList(new ArrayList<>());
  private final List<String> pinnedSerials = Collections.synchronizedList(new ArrayList<>());
  private volatile String disk = "disk-A";
  private AgentClients clients;
  private Planner planner;

  private static final String SPEC = """
      apiVersion: brickyard/v1
      kind: Cluster
      metadata: {name: w}
      nodes:
        - {name: n1, address: "10.9.0.1:7443"}
      storage:
        defaults:
          - {device: /dev/sdb, wipe: true, mountPoint: /gluster/b1}
      """;

  @BeforeEach
  void start() throws Exception {
    agents.add("n1", new Services(), new Storage());
    clients = agents.clients();
    planner = new Planner(clients, pool, Duration.ofSeconds(5), Duration.ofSeconds(5));
  }

  @AfterEach
  void stop() throws InterruptedException {
    clients.close();
    pool.shutdownNow();
    agents.close();
  }

  private Plan plan() {
    return plan(SPEC);
  }

  private Plan plan(String yaml) {
    try {
      return planner.plan(SpecParser.parse(yaml, "w.yaml"), List.of());
    } catch (io.brickyard.coordinator.spec.SpecException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void thePlanShowsTheDiskAndItsDigestIsInTheFingerprint() {
    Plan a = plan();
    PlanStep xfs = a.toProto().getStepsList().stream().filter(s -> s.getId().equals("n1/storage/xfs:/dev/sdb"))
        .findFirst().orElseThrow();
    assertThat(xfs.getDestructive()).isTrue();
    assertThat(xfs.getDevice().getSerial()).isEqualTo("disk-A");
    assertThat(plan().fingerprint()).isEqualTo(a.fingerprint());
    disk = "disk-B"; // /dev/sdb now names another disk with the same kind of signature: same commands
    assertThat(plan().fingerprint()).isNotEqualTo(a.fingerprint());
  }

  @Test
  void theSpecsDiskPinGoesWithTheDeviceStep() {
    plan(SPEC.replace("{device: /dev/sdb,", "{device: {path: /dev/sdb, serial: disk-A},"));
    assertThat(pinnedSerials).containsExactly("disk-A");
  }

  @Test
  void theRealRunCarriesTheDigestTheDryRunReported() {
    Plan p = plan();
    new Applier(clients, pool).apply(p, Duration.ofSeconds(5), e -> { });
    assertThat(realDigests).containsExactly("digest-of-disk-A");
  }

  @Test
  void anErasingApplyWithoutAReviewedPlansFingerprintRunsNothing() throws Exception {
    CoordinatorServiceImpl api = api();
    Recorder r = new Recorder();
    api.apply(ApplyRequest.newBuilder().setSpecYaml(SPEC).setSourceName("w.yaml").build(), r);
    assertThat(r.error).isNotNull();
    assertThat(r.error.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(r.error.getStatus().getDescription()).contains("erases data", "n1/storage/xfs:/dev/sdb",
        "--plan-fingerprint " + plan().fingerprint());
    assertThat(realDigests).isEmpty();

    Recorder ok = new Recorder();
    api.apply(ApplyRequest.newBuilder().setSpecYaml(SPEC).setSourceName("w.yaml")
        .setExpectedFingerprint(plan().fingerprint()).build(), ok);
    assertThat(ok.error).isNull();
    assertThat(realDigests).containsExactly("digest-of-disk-A");
  }

  private CoordinatorServiceImpl api() throws Exception {
    Journal journal = new Journal(state);
    NodeRegistry registry = new NodeRegistry(state.resolve("nodes.json"));
    return CoordinatorMain.service(registry, clients, journal, new Pools(pool, pool), Duration.ofSeconds(5),
        Duration.ofSeconds(5));
  }

  private static final class Recorder implements StreamObserver<ApplyEvent> {
    final List<ApplyEvent> events = new ArrayList<>();
    StatusRuntimeException error;

    @Override
    public void onNext(ApplyEvent e) {
      events.add(e);
    }

    @Override
    public void onError(Throwable t) {
      error = (StatusRuntimeException) t;
    }

    @Override
    public void onCompleted() {}
  }

  private static final class Services extends ServiceManagerServiceGrpc.ServiceManagerServiceImplBase {
    @Override
    public void ensureService(EnsureServiceRequest req, StreamObserver<OperationResult> out) {
      out.onNext(OperationResult.newBuilder().setSummary("running").build());
      out.onCompleted();
    }
  }

  /** A dirty disk: the dry run would wipe it; the real run records the digest it was bound to. */
  private final class Storage extends StorageServiceGrpc.StorageServiceImplBase {
    @Override
    public void ensureXfs(EnsureXfsRequest req, StreamObserver<OperationResult> out) {
      DeviceIdentity d = DeviceIdentity.newBuilder().setPath(req.getDevice()).setKernelName("sdb").setSerial(disk)
          .setSizeBytes(4L << 30).addSignatures("ext4 at 0x438").setDigest("digest-of-" + disk).build();
      boolean dry = req.getOptions().getDryRun();
      pinnedSerials.add(req.getExpectedDisk().getSerial());
      if (!dry) {
        realDigests.add(req.getOptions().getExpectedDeviceDigest());
      }
      out.onNext(OperationResult.newBuilder().setChanged(true).setDryRun(dry).setDevice(d).setSummary("xfs")
          .addCommands(CommandRecord.newBuilder().addArgv("wipefs").addArgv("--all").addArgv(req.getDevice()))
          .addCommands(CommandRecord.newBuilder().addArgv("mkfs.xfs").addArgv(req.getDevice())).build());
      out.onCompleted();
    }
  }
}
