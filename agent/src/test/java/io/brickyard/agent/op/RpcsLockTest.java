package io.brickyard.agent.op;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickyard.agent.AgentContext;
import io.brickyard.agent.service.ServiceBackend;
import io.brickyard.agent.service.ServiceManagerServiceImpl;
import io.brickyard.api.agent.v1.EnsureServiceRequest;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.RequestOptions;
import io.brickyard.api.agent.v1.ServiceManagerServiceGrpc;
import io.brickyard.api.agent.v1.ServiceState;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A mutating call queued behind the node lock must not act once its caller gave up. Real gRPC
 * (in-process transport, real deadlines and cancellation) into EnsureService, whose backend
 * records which unit bodies ran: "glusterd" holds the lock (blocked on a latch), "rpcbind" is
 * the queued call whose caller gives up, "nfs-ganesha" queues after it. The lock is fair, so
 * once nfs-ganesha's body has run, rpcbind's has either run (the defect) or been dropped.
 */
class RpcsLockTest {
  private final CountDownLatch release = new CountDownLatch(1);
  private final CountDownLatch holding = new CountDownLatch(1);
  private final List<String> ran = new CopyOnWriteArrayList<>();
  private final ExecutorService serverThreads = Executors.newCachedThreadPool();
  private final ExecutorService clientThreads = Executors.newCachedThreadPool();
  private Server server;
  private ManagedChannel channel;
  private ServiceManagerServiceGrpc.ServiceManagerServiceBlockingStub stub;

  /** Records each unit whose ensure body ran; glusterd's blocks until released. */
  private final class LatchBackend implements ServiceBackend {
    @Override
    public String name() {
      return "latch";
    }

    @Override
    public ServiceState status(String unit) {
      return ServiceState.newBuilder().setUnit(unit).build();
    }

    @Override
    public void ensure(Operation op, String unit, boolean running, boolean enabled, boolean restart) {
      ran.add(unit);
      if (unit.equals("glusterd")) {
        holding.countDown();
        awaitQuietly(release);
      }
    }
  }

  @BeforeEach
  void start() throws Exception {
    AgentContext ctx = new AgentContext(null, new LatchBackend(), AgentContext.Paths.system(), null);
    String name = "rpcs-lock-" + System.nanoTime();
    server = InProcessServerBuilder.forName(name).executor(serverThreads)
        .addService(new ServiceManagerServiceImpl(ctx)).build().start();
    channel = InProcessChannelBuilder.forName(name).build();
    stub = ServiceManagerServiceGrpc.newBlockingStub(channel);
  }

  @AfterEach
  void stop() {
    release.countDown();
    channel.shutdownNow();
    server.shutdownNow();
    serverThreads.shutdownNow();
    clientThreads.shutdownNow();
  }

  private static EnsureServiceRequest ensure(String unit) {
    return EnsureServiceRequest.newBuilder().setUnit(unit).setRunning(true).setEnabled(true).build();
  }

  private CompletableFuture<OperationResult> holdTheLock() throws InterruptedException {
    CompletableFuture<OperationResult> first = CompletableFuture.supplyAsync(() -> stub.ensureService(ensure("glusterd")),
        clientThreads);
    assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
    return first;
  }

  /** Releases the holder and runs one more locked call, which is served after the queued one. */
  private void releaseAndDrain(CompletableFuture<OperationResult> first) throws Exception {
    release.countDown();
    first.get(10, TimeUnit.SECONDS);
    stub.withDeadlineAfter(10, TimeUnit.SECONDS).ensureService(ensure("nfs-ganesha"));
  }

  @Test
  void timedOutCallQueuedBehindTheLockNeverActs() throws Exception {
    CompletableFuture<OperationResult> first = holdTheLock();
    long start = System.nanoTime();
    assertThatThrownBy(() -> stub.withDeadlineAfter(300, TimeUnit.MILLISECONDS).ensureService(ensure("rpcbind")))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
    Thread.sleep(Math.max(0, 500 - (System.nanoTime() - start) / 1_000_000)); // well past its deadline

    releaseAndDrain(first);

    assertThat(ran).containsExactly("glusterd", "nfs-ganesha");
  }

  @Test
  void cancelledCallQueuedBehindTheLockNeverActs() throws Exception {
    CompletableFuture<OperationResult> first = holdTheLock();
    var future = ServiceManagerServiceGrpc.newFutureStub(channel).ensureService(ensure("rpcbind"));
    Thread.sleep(200); // queued behind the lock
    future.cancel(true);

    releaseAndDrain(first);

    assertThat(ran).containsExactly("glusterd", "nfs-ganesha");
  }

  @Test
  void dryRunDoesNotWaitForTheLock() throws Exception {
    CompletableFuture<OperationResult> first = holdTheLock();
    OperationResult dry = stub.withDeadlineAfter(5, TimeUnit.SECONDS).ensureService(ensure("rpcbind").toBuilder()
        .setOptions(RequestOptions.newBuilder().setDryRun(true)).build());
    assertThat(dry.getDryRun()).isTrue();
    assertThat(ran).containsExactly("glusterd", "rpcbind");
    releaseAndDrain(first);
  }

  /**
   * The per-object locks of gluster steps go through the same wait, here straight on a gRPC
   * Context (what the server attaches to each call) with a deadline and with a cancellation.
   */
  @Test
  void keyedLockWaitEndsWithTheCallersDeadlineOrCancellation() throws Exception {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    try {
      CountDownLatch held = new CountDownLatch(1);
      CountDownLatch free = new CountDownLatch(1);
      CompletableFuture.runAsync(() -> Rpcs.mutatingKeyed(new Answer<>(), null, "gluster volume v", () -> {
        held.countDown();
        awaitQuietly(free);
        return "first";
      }), clientThreads);
      assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();

      Answer<String> timedOut = new Answer<>();
      Context.CancellableContext deadline = Context.current().withDeadlineAfter(200, TimeUnit.MILLISECONDS, timer);
      CompletableFuture<Void> late = CompletableFuture.runAsync(() -> deadline.run(() ->
          Rpcs.mutatingKeyed(timedOut, null, "gluster volume v", () -> {
            ran.add("timed out");
            return "late";
          })), clientThreads);
      Answer<String> cancelled = new Answer<>();
      Context.CancellableContext cancellable = Context.current().withCancellation();
      CompletableFuture<Void> gone = CompletableFuture.runAsync(() -> cancellable.run(() ->
          Rpcs.mutatingKeyed(cancelled, null, "gluster volume v", () -> {
            ran.add("cancelled");
            return "gone";
          })), clientThreads);
      Thread.sleep(100);
      cancellable.cancel(null);
      late.get(10, TimeUnit.SECONDS);
      gone.get(10, TimeUnit.SECONDS);
      free.countDown();

      // another key is not blocked by v's holder, and v is free again afterwards
      Answer<String> next = new Answer<>();
      Rpcs.mutatingKeyed(next, null, "gluster volume v", () -> "next");
      assertThat(next.value.get()).isEqualTo("next");
      assertThat(timedOut.error.get().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
      assertThat(cancelled.error.get().getCode()).isEqualTo(Status.Code.CANCELLED);
      assertThat(ran).isEmpty();
    } finally {
      timer.shutdownNow();
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** What a unary call answered. */
  private static final class Answer<T> implements StreamObserver<T> {
    final AtomicReference<T> value = new AtomicReference<>();
    final AtomicReference<Status> error = new AtomicReference<>();

    @Override
    public void onNext(T v) {
      value.set(v);
    }

    @Override
    public void onError(Throwable t) {
      error.set(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {}
  }
}
