package io.brickyard.agent.vip;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickyard.api.agent.v1.EnsureVipAbsentRequest;
import io.brickyard.api.agent.v1.EnsureVipPresentRequest;
import io.brickyard.api.agent.v1.VipServiceGrpc;
import io.brickyard.api.agent.v1.VipServiceGrpc.VipServiceBlockingStub;
import io.brickyard.common.exec.Daemons;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ten moves of one VIP between lab nodes a and b (release on the holder, then add on the other:
 * duplicate address probe, ip addr add, gratuitous ARP), through the real VipServiceImpl over
 * in-process gRPC, while
 * <ul>
 *   <li>a sampler reads {@code ip -o addr} of a, then of b, every 100 ms: no sample may show both
 *   holding. Reading one after the other cannot report a false "both": between a release and the
 *   next add lies the probe's 500 ms wait, while one sample's two reads take a few ms;</li>
 *   <li>the client pings the VIP every 5 ms ({@code ping -D}, wall-clock stamps), and after each
 *   move its neighbour entry must be the new holder's MAC.</li>
 * </ul>
 * It also prints the benchmark of docs/benchmarks.md ("VIP move"): for each move, the time from the
 * start of the release until the first echo reply received after the release returned (replies
 * then can only come from the new holder), and both RPCs' durations. Nothing is asserted on time.
 */
@Tag("lab")
class VipMovesLabTest {
  private static final int MOVES = 10;
  private static final Pattern REPLY = Pattern.compile("(?m)^\\[(\\d+)\\.(\\d{6})\\] \\d+ bytes from ");
  @TempDir Path tmp;

  /** {@code dadMs}: the probe as the add RPC recorded it (arping -D under timeout). */
  record Move(int n, String to, long releaseMs, long addMs, long dadMs, long answerMs) {}

  @Test
  void tenMovesNeverShowTwoHoldersAndTheClientFollows() throws Exception {
    List<Server> servers = new ArrayList<>();
    List<ManagedChannel> channels = new ArrayList<>();
    List<boolean[]> samples = Collections.synchronizedList(new ArrayList<>());
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    Process pinger = null;
    try (VipLab lab = new VipLab().start()) {
      VipLab.Host[] hosts = {lab.a(), lab.b()};
      VipServiceBlockingStub[] stubs = new VipServiceBlockingStub[2];
      for (int i = 0; i < 2; i++) {
        String name = "vip-moves-" + i + "-" + System.nanoTime();
        servers.add(InProcessServerBuilder.forName(name).directExecutor()
            .addService(new VipServiceImpl(hosts[i].runner())).build().start());
        channels.add(InProcessChannelBuilder.forName(name).directExecutor().build());
        stubs[i] = VipServiceGrpc.newBlockingStub(channels.get(i));
      }
      assertThat(add(stubs[0]).getChanged()).isTrue();
      assertThat(lab.clientPings(VipLab.VIP)).isTrue();

      Path pings = tmp.resolve("ping.log");
      pinger = Daemons.spawn(lab.client().runner().wrap(List.of("ping", "-D", "-n", "-i", "0.005", VipLab.VIP)),
          pings, Map.of("LC_ALL", "C"));
      sampler.scheduleAtFixedRate(() -> samples.add(new boolean[] {lab.holds(lab.a(), VipLab.VIP),
          lab.holds(lab.b(), VipLab.VIP)}), 0, 100, TimeUnit.MILLISECONDS);

      List<Move> moves = new ArrayList<>();
      for (int n = 1; n <= MOVES; n++) {
        int from = (n - 1) % 2;
        int to = 1 - from;
        long t0 = System.currentTimeMillis();
        assertThat(stubs[from].ensureVipAbsent(EnsureVipAbsentRequest.newBuilder().setAddress(VipLab.VIP).build())
            .getChanged()).isTrue();
        long released = System.currentTimeMillis();
        io.brickyard.api.agent.v1.OperationResult addResult = add(stubs[to]);
        long added = System.currentTimeMillis();
        assertThat(addResult.getChanged()).isTrue();
        long answered = firstReplyAfter(pings, released);
        assertThat(answered).as("move %d: an echo reply after the release", n).isPositive();
        assertThat(lab.clientNeighbour(VipLab.VIP)).as("move %d: client's neighbour entry", n)
            .isEqualTo(hosts[to].mac());
        moves.add(new Move(n, hosts[to].netns(), released - t0, added - released,
            addResult.getCommands(0).getDurationMillis(), answered - t0));
      }
      sampler.shutdown();
      sampler.awaitTermination(5, TimeUnit.SECONDS);

      List<boolean[]> all = List.copyOf(samples);
      assertThat(all).as("samples of ip -o addr").hasSizeGreaterThan(MOVES * 5);
      assertThat(all).as("samples with both a and b holding the VIP").noneMatch(s -> s[0] && s[1]);
      assertThat(all).anyMatch(s -> s[0]).anyMatch(s -> s[1]);
      report(moves, all.size());
    } finally {
      sampler.shutdownNow();
      if (pinger != null) {
        pinger.destroy();
        pinger.waitFor(5, TimeUnit.SECONDS);
      }
      channels.forEach(ManagedChannel::shutdownNow);
      servers.forEach(Server::shutdownNow);
    }
  }

  private static io.brickyard.api.agent.v1.OperationResult add(VipServiceBlockingStub s) {
    return s.ensureVipPresent(EnsureVipPresentRequest.newBuilder().setAddress(VipLab.VIP + "/24").build());
  }

  /** Wall-clock ms of the first echo reply stamped after {@code afterMs}; -1 if none within 10 s. */
  private static long firstReplyAfter(Path log, long afterMs) throws IOException, InterruptedException {
    long deadline = System.currentTimeMillis() + 10_000;
    while (System.currentTimeMillis() < deadline) {
      Matcher m = REPLY.matcher(Files.readString(log));
      while (m.find()) {
        long ms = Long.parseLong(m.group(1)) * 1000 + Long.parseLong(m.group(2)) / 1000;
        if (ms > afterMs) {
          return ms;
        }
      }
      Thread.sleep(20);
    }
    return -1;
  }

  private static void report(List<Move> moves, int samples) throws IOException {
    StringBuilder out = new StringBuilder(String.format("%nVIP move benchmark (%d moves, %d cores, load %s)%n",
        moves.size(), Runtime.getRuntime().availableProcessors(),
        Files.readString(Path.of("/proc/loadavg")).strip()));
    out.append(String.format("%-5s %-22s %11s %11s %11s %19s%n", "move", "to", "release ms", "add RPC ms",
        "probe ms", "release->answer ms"));
    for (Move m : moves) {
      out.append(String.format("%-5d %-22s %11d %11d %11d %19d%n", m.n(), m.to(), m.releaseMs(), m.addMs(), m.dadMs(),
          m.answerMs()));
    }
    out.append(String.format("release->answer: median %d ms, max %d ms; add RPC: median %d ms, max %d ms; "
            + "%d samples of ip -o addr, none with two holders%n",
        median(moves.stream().map(Move::answerMs).toList()), moves.stream().mapToLong(Move::answerMs).max().orElse(0),
        median(moves.stream().map(Move::addMs).toList()), moves.stream().mapToLong(Move::addMs).max().orElse(0),
        samples));
    System.out.print(out);
    System.out.flush();
  }

  /** Nearest-rank median, as elsewhere in docs/benchmarks.md. */
  private static long median(List<Long> xs) {
    List<Long> s = xs.stream().sorted().toList();
    return s.get((int) Math.ceil(s.size() / 2.0) - 1);
  }
}
