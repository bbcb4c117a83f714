package io.brickyard.coordinator.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickyard.api.agent.v1.EnsureAllowedRequest;
import io.brickyard.api.agent.v1.EnsureBrickDirectoryRequest;
import io.brickyard.api.agent.v1.EnsureMountRequest;
import io.brickyard.api.agent.v1.EnsureServiceRequest;
import io.brickyard.api.agent.v1.EnsureVolumeRequest;
import io.brickyard.api.agent.v1.EnsureXfsRequest;
import io.brickyard.api.agent.v1.FirewallServiceGrpc;
import io.brickyard.api.agent.v1.GlusterServiceGrpc;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.ProbePeerRequest;
import io.brickyard.api.agent.v1.RequestOptions;
import io.brickyard.api.agent.v1.ServiceManagerServiceGrpc;
import io.brickyard.api.agent.v1.StartVolumeRequest;
import io.brickyard.api.agent.v1.StorageServiceGrpc;
import io.brickyard.api.coordinator.v1.ApplyEvent;
import io.brickyard.api.coordinator.v1.ApplyRequest;
import io.brickyard.api.coordinator.v1.CoordinatorServiceGrpc;
import io.brickyard.api.coordinator.v1.JournalEntry;
import io.brickyard.coordinator.apply.Journal;
import io.brickyard.coordinator.nodes.AgentClients;
import io.brickyard.coordinator.testing.InProcessAgents;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An apply does not depend on the client that watches it: the CLI is cancelled (Ctrl-C, a dropped
 * SSH session) after 0, 3 or 10 progress events, and the apply still runs to its end, is journaled,
 * and releases the cluster-wide apply lock, so the next apply runs. Over a real gRPC server
 * (in-process) with in-process agents. Every agent call made once the client has seen its N events
 * waits until the server has seen the cancellation, so the rest of the apply runs on a cancelled
 * call for sure.
 *
 * <p>This passed on the code before issue 9 as well, and here is why: grpc-java cancels the call's
 * Context at once, but the observer's "cancelled" flag (which makes onNext throw) is set by the
 * call listener's onCancel, which runs on the call's serializing executor, behind the blocking
 * apply handler, so during the apply onNext never threw. The wedge was real for any sink that
 * throws (the Applier let a STARTED event's exception escape its node's loop, leaving later steps'
 * futures incomplete: ApplierScheduleTest.aSinkThatThrowsNeitherHangsNorStopsTheApply hung), and
 * would be reached by gRPC as soon as an apply streams from another thread; this test keeps the
 * whole path honest.
 */
class ApplyCancelTest {
  @TempDir Path state;
  private final InProcessAgents agents = new InProcessAgents("cancel-");
  private final ExecutorService pool = Executors.newFixedThreadPool(4);
  private final AtomicInteger received = new AtomicInteger();
  private final CountDownLatch serverSawCancel = new CountDownLatch(1);
  private final CountDownLatch applyStarted = new CountDownLatch(1);
  private volatile int cancelAfter;
  private Server server;
  private ManagedChannel channel;
  private AgentClients clients;

  @AfterEach
  void stop() throws Exception {
    if (channel != null) {
      channel.shutdownNow();
    }
    if (server != null) {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (clients != null) {
      clients.close();
    }
    pool.shutdownNow();
    agents.close();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 3, 10})
  void anApplyWhoseClientWentAwayFinishesIsJournaledAndReleasesTheLock(int n) throws Exception {
    cancelAfter = n;
    for (String node : List.of("gluster1", "gluster2")) {
      agents.add(node, new Services(), new Firewall(), new Storage(), new Gluster());
    }
    clients = agents.clients();
    Journal journal = new Journal(state);
    String name = "coordinator-cancel-" + n;
    server = InProcessServerBuilder.forName(name).executor(Executors.newCachedThreadPool())
        .addService(ServerInterceptors.intercept(Coordinators.service(clients, pool, journal, state), new CancelSeen()))
        .build().start();
    channel = InProcessChannelBuilder.forName(name).build();
    ApplyRequest req = ApplyRequest.newBuilder().setSpecYaml(Files.readString(Path.of("..", "examples", "lab.yaml")))
        .setSourceName("lab.yaml").setStepTimeoutSeconds(10).build();

    CoordinatorServiceGrpc.newStub(channel).apply(req, new ClientResponseObserver<ApplyRequest, ApplyEvent>() {
      ClientCallStreamObserver<ApplyRequest> call;

      @Override
      public void beforeStart(ClientCallStreamObserver<ApplyRequest> c) {
        call = c;
        if (n == 0) {
          Thread t = new Thread(() -> {
            await(applyStarted);
            call.cancel("the admin pressed Ctrl-C", null);
          });
          t.start();
        }
      }

      @Override
      public void onNext(ApplyEvent e) {
        if (received.incrementAndGet() == n) {
          call.cancel("the admin pressed Ctrl-C", null);
        }
      }

      @Override
      public void onError(Throwable t) {
      }

      @Override
      public void onCompleted() {
      }
    });

    List<JournalEntry> entries = awaitJournal(journal, 1);
    assertThat(entries).singleElement().satisfies(e -> assertThat(e.getSuccess()).as(e.getError()).isTrue());
    assertThat(serverSawCancel.getCount()).as("the cancellation reached the server").isZero();

    // The apply lock is free: the next apply runs (not "another apply is running").
    cancelAfter = Integer.MAX_VALUE;
    Iterator<ApplyEvent> next = CoordinatorServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS)
        .apply(req);
    ApplyEvent last = null;
    while (next.hasNext()) {
      last = next.next();
    }
    assertThat(last.hasSummary()).isTrue();
    assertThat(last.getSummary().getSuccess()).as(last.getSummary().getError()).isTrue();
    assertThat(awaitJournal(journal, 2)).hasSize(2);
  }

  private static List<JournalEntry> awaitJournal(Journal journal, int count) throws Exception {
    long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < until) {
      List<JournalEntry> l = journal.list(0);
      if (l.size() >= count) {
        return l;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no journal entry " + count + " within 20 s: the apply never finished");
  }

  private static void await(CountDownLatch l) {
    try {
      l.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Counts down {@link #serverSawCancel} when the server-side call's context is cancelled. */
  private final class CancelSeen implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      Context.current().addListener(c -> serverSawCancel.countDown(), Runnable::run);
      return next.startCall(call, headers);
    }
  }

  /** Every agent call: once the client has its N events, hold the answer until the server saw the cancel. */
  private void answer(RequestOptions o, StreamObserver<OperationResult> out, String what) {
    applyStarted.countDown();
    if (!o.getDryRun() && received.get() >= cancelAfter) {
      await(serverSawCancel);
    }
    out.onNext(OperationResult.newBuilder().setChanged(true).setSummary(what).build());
    out.onCompleted();
  }

  private final class Services extends ServiceManagerServiceGrpc.ServiceManagerServiceImplBase {
    @Override
    public void ensureService(EnsureServiceRequest req, StreamObserver<OperationResult> out) {
      answer(req.getOptions(), out, req.getUnit());
    }
  }

  private final class Firewall extends FirewallServiceGrpc.FirewallServiceImplBase {
    @Override
    public void ensureAllowed(EnsureAllowedRequest req, StreamObserver<OperationResult> out) {
      answer(req.getOptions(), out, "allowed");
    }
  }

  private final class Storage extends StorageServiceGrpc.StorageServiceImplBase {
    @Override
    public void ensureXfs(EnsureXfsRequest req, StreamObserver<OperationResult> out) {
      answer(req.getOptions(), out, "xfs");
    }

    @Override
    public void ensureMount(EnsureMountRequest req, StreamObserver<OperationResult> out) {
      answer(req.getOptions(), out, "mounted");
    }

    @Override
    public void ensureBrickDirectory(EnsureBrickDirectoryRequest req, StreamObserver<OperationResult> out) {
      answer(req.getOptions(), out, "brick");
    }
  }

  private final class Gluster extends GlusterServiceGrpc.GlusterServiceImplBase {
    @Override
    public void probePeer(ProbePeerRequest req, StreamObserver<OperationResult> out) {
      answer(req.getOptions(), out, "probed");
    }

    @Override
    public void ensureVolume(EnsureVolumeRequest req, StreamObserver<OperationResult> out) {
      answer(req.getOptions(), out, "created");
    }

    @Override
    public void startVolume(StartVolumeRequest req, StreamObserver<OperationResult> out) {
      answer(req.getOptions(), out, "started");
    }
  }
}
