package io.brickyard.cli.nfs4;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickyard.cli.LabHarness;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The test's own NFSv4.0 client ({@link Nfs4Client}) reading one file through a VIP while the VIP moves:
 * what `vip move` (Nfs4ReclaimE2ETest) and an automatic failover (FailoverLabE2ETest) are both checked
 * with. The client connects from this machine through the lab bridge.
 */
public final class ReclaimingReader {
  /** This machine's address on the lab bridge: the client's source address. */
  public static final String CLIENT_IP = "10.77.0.1";
  public static final int CHUNK = 64 << 10;

  private ReclaimingReader() {}

  /** What a move did, seen from the reading thread. */
  public static final class Moved {
    public long t0;
    public long moveDone;
    public String sha;
    public final AtomicReference<Throwable> error = new AtomicReference<>();
  }

  /** A move: `vip move`, a fault that makes the leader move the address, or the same done by hand. */
  public interface Move {
    void run() throws Exception;
  }

  public static Nfs4Client client(String vip, String name, Path capture) throws Exception {
    return client(vip, name, capture, 0);
  }

  /** The client of NFSv4 {@code minorVersion} 0 or 1. */
  public static Nfs4Client client(String vip, String name, Path capture, int minorVersion) throws Exception {
    RpcTcpTransport t = new RpcTcpTransport(new InetSocketAddress(vip, 2049), Duration.ofSeconds(2), "by-" + name, 0, 0);
    Nfs4Client c = new Nfs4Client(t, Nfs4Client.linuxStyleId(CLIENT_IP, vip) + " " + name, Duration.ofSeconds(60),
        minorVersion);
    c.capture(capture);
    return c;
  }

  /**
   * Opens {@code file} ({@code size} bytes) for reading, reads a quarter, runs {@code move} while the
   * reading thread goes on (a chunk every 60 ms), then waits for the reader and digests what it read.
   */
  public static Moved readAcrossMove(Nfs4Client c, String file, long size, Move move) throws Exception {
    c.establishClientId();
    Nfs4Client.OpenFile f = c.open(file, Compound.SHARE_ACCESS_READ, false);
    Moved m = new Moved();
    AtomicLong progress = new AtomicLong();
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
      try {
        for (long off = 0; off < size; ) {
          byte[] b = c.read(f, off, CHUNK);
          if (b.length == 0) {
            throw new AssertionError("early EOF at " + off);
          }
          md.update(b);
          off += b.length;
          progress.set(off);
          Thread.sleep(60);
        }
      } catch (Throwable t) {
        m.error.set(t);
      }
    });
    while (progress.get() < size / 4 && !reader.isDone()) {
      Thread.sleep(10);
    }
    assertThat(reader.isDone()).as("reader ended before the move: " + m.error.get()).isFalse();
    m.t0 = System.nanoTime();
    move.run();
    m.moveDone = System.nanoTime();
    System.out.println("[nfs4] move took " + ms(m.moveDone - m.t0) + " ms (2 cores)");
    reader.get(180, TimeUnit.SECONDS);
    m.sha = m.error.get() == null ? HexFormat.of().formatHex(md.digest()) : null;
    return m;
  }

  /**
   * The acceptance of a reclaim: the reader finished with the file's checksum; an OPEN with CLAIM_PREVIOUS
   * was answered NFS4_OK by {@code vip} and a READ followed; before it only connection errors and
   * lost-state answers, after it nothing but NFS4_OK. Prints the timeline.
   */
  public static void assertReclaimedAndReadOn(String what, Nfs4Client c, Moved moved, String vip, String sha) {
    List<Nfs4Client.Event> ev = c.events();
    ev.forEach(e -> System.out.println("[nfs4 " + what + "] " + e));
    assertThat(moved.error.get()).as("reader failed").isNull();
    assertThat(moved.sha).isEqualTo(sha);
    int reclaim = indexOf(ev, "PUTFH,OPEN(CLAIM_PREVIOUS)", Nfs4Status.NFS4_OK, 0);
    assertThat(reclaim).as("a CLAIM_PREVIOUS open answered NFS4_OK").isPositive();
    assertThat(ev.get(reclaim).server()).isEqualTo(vip);
    int firstRead = indexOf(ev, "PUTFH,READ", Nfs4Status.NFS4_OK, reclaim);
    assertThat(firstRead).isGreaterThan(reclaim);
    report(what, moved, ev, reclaim, firstRead);
    assertThat(ev.subList(0, reclaim)).filteredOn(e -> e.status() != null && e.status() != Nfs4Status.NFS4_OK)
        .allSatisfy(e -> assertThat(e.status().lostState()).as(e.toString()).isTrue());
    assertThat(ev.subList(reclaim, ev.size())).filteredOn(e -> e.status() != null)
        .allSatisfy(e -> assertThat(e.status()).as(e.toString()).isEqualTo(Nfs4Status.NFS4_OK));
  }

  static void report(String what, Moved m, List<Nfs4Client.Event> ev, int reclaim, int firstRead) {
    Nfs4Client.Event firstErr = ev.stream().filter(e -> e.nanos() > m.t0 && (e.what().equals("io-error")
        || e.status() != null && e.status() != Nfs4Status.NFS4_OK)).findFirst().orElse(null);
    Nfs4Client.Event connected = ev.stream().filter(e -> e.nanos() > m.t0 && e.what().equals("connected"))
        .findFirst().orElse(null);
    System.out.printf("[nfs4] %s: move %d ms; first error +%s ms; reconnected +%s ms; reclaim OK +%d ms; "
        + "first read after reclaim +%d ms (from the start of the move, 2 cores)%n", what, ms(m.moveDone - m.t0),
        firstErr == null ? "-" : ms(firstErr.nanos() - m.t0), connected == null ? "-" : ms(connected.nanos() - m.t0),
        ms(ev.get(reclaim).nanos() - m.t0), ms(ev.get(firstRead).nanos() - m.t0));
  }

  /** The first event from {@code from} on whose COMPOUND ends with {@code what} (4.1 puts SEQUENCE before it). */
  static int indexOf(List<Nfs4Client.Event> ev, String what, Nfs4Status status, int from) {
    for (int i = from; i < ev.size(); i++) {
      if ((ev.get(i).what().equals(what) || ev.get(i).what().endsWith("," + what)) && ev.get(i).status() == status) {
        return i;
      }
    }
    return -1;
  }

  /** Waits until {@code host}'s ganesha says it is out of grace (D-Bus get_grace). */
  public static void awaitGraceOver(String host, Duration max) throws Exception {
    long end = System.nanoTime() + max.toNanos();
    String last = "";
    while (System.nanoTime() < end) {
      LabHarness.Exec e = LabHarness.exec(host, "busctl", "--system", "--json=short", "call", "org.ganesha.nfsd",
          "/org/ganesha/nfsd/admin", "org.ganesha.nfsd.admin", "get_grace");
      last = e.out();
      if (e.code() == 0 && last.contains("\"data\":[false")) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError(host + ": ganesha still not out of grace: " + last);
  }

  static long ms(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }
}
