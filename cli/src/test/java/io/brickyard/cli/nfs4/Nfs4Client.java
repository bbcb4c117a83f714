package io.brickyard.cli.nfs4;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A small NFSv4.0 client (RFC 7530), or NFSv4.1 with one session slot (RFC 8881), that behaves like a
 * kernel client where a server failover matters, and records everything it does.
 *
 * <p>Why it exists: the lab's only NFS client (libnfs 4.0) keeps no state across a server change
 * and never reclaims, and there is no kernel NFS client in the lab. Proving that an NFS address can
 * move between ganesha hosts under a client that holds a file open needs a client that does what
 * Linux does: when the server answers that it no longer knows the client (NFS4ERR_STALE_CLIENTID,
 * NFS4ERR_STALE_STATEID, ...), establish a new client id with the <em>same</em> nfs_client_id4
 * string and a new verifier, then reclaim each open file with OPEN CLAIM_PREVIOUS during the
 * server's grace period (RFC 7530, section 9.6.2), then carry on. The server lets it reclaim only if
 * it finds that id string in its recovery records, which is the property under test. In 4.1 the same
 * is EXCHANGE_ID with the same owner id and CREATE_SESSION when the server answers NFS4ERR_BADSESSION,
 * the reclaims, then RECLAIM_COMPLETE (RFC 8881, section 8.4.2.1), which lets ganesha end its grace
 * period early once every recorded client has sent it.
 *
 * <p>What it does not do: delegations (it offers no callback), locks, more than one session slot or
 * open-owner, the 4.1 back channel, or a fallback to a fresh OPEN when the reclaim is refused: a refusal is thrown as
 * {@link ReclaimRefused}, so that a test sees it instead of a silent re-open.
 *
 * <p>Every COMPOUND, connection failure, backoff and recovery step is an {@link Event} with both a
 * wall-clock and a monotonic timestamp.
 */
public final class Nfs4Client implements AutoCloseable {
  /** One thing the client did or saw. {@code status} is null for transport events. */
  public record Event(Instant at, long nanos, String server, String what, Nfs4Status status, int rawStatus,
      String detail) {
    @Override
    public String toString() {
      return at + " " + server + " " + what + " " + (status == null ? "-" : status == Nfs4Status.UNKNOWN
          ? Integer.toString(rawStatus) : status.name()) + (detail.isEmpty() ? "" : " " + detail);
    }
  }

  /** The server answered an error the client does not handle. */
  public static class Nfs4Exception extends IOException {
    private final Nfs4Status status;

    public Nfs4Exception(String message, Nfs4Status status) {
      super(message + ": " + status);
      this.status = status;
    }

    public Nfs4Status status() {
      return status;
    }
  }

  /** OPEN CLAIM_PREVIOUS was refused (NFS4ERR_NO_GRACE, NFS4ERR_RECLAIM_BAD, ...): the state is lost. */
  public static final class ReclaimRefused extends Nfs4Exception {
    public ReclaimRefused(String path, Nfs4Status status) {
      super("reclaim of " + path + " refused", status);
    }
  }

  /** A file this client holds open. */
  public static final class OpenFile {
    private final String path;
    private final byte[] fh;
    private final int access;
    private volatile Compound.Stateid stateid;

    OpenFile(String path, byte[] fh, int access, Compound.Stateid stateid) {
      this.path = path;
      this.fh = fh;
      this.access = access;
      this.stateid = stateid;
    }

    public String path() {
      return path;
    }

    public byte[] fh() {
      return fh.clone();
    }

    public Compound.Stateid stateid() {
      return stateid;
    }
  }

  private static final int COMPOUND = 1;
  private static final int MAX_RECOVERIES = 3;
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(50);
  private static final Duration MAX_BACKOFF = Duration.ofMillis(500);

  private final RpcTcpTransport transport;
  private final String id;
  private final byte[] owner;
  private final Duration retryBudget;
  private final List<Event> events = new ArrayList<>();
  private final List<OpenFile> open = new ArrayList<>();
  private final AtomicInteger captureSeq = new AtomicInteger();
  private volatile String currentLabel = "";
  private final int minorVersion;
  private long clientid;
  private int seqid;
  /** NFSv4.1: the session, null before CREATE_SESSION; slot 0's next sequence id. */
  private byte[] sessionid;
  private int slotSequence;
  /** NFSv4.1: RECLAIM_COMPLETE sent for the present client id (ganesha refuses other opens before it). */
  private boolean reclaimComplete;

  /**
   * @param id the nfs_client_id4 string; it must stay the same across a server change, and should
   *     hold the server address like Linux's ("Linux NFSv4.0 CLIENT/SERVER tcp", see {@link #linuxStyleId}):
   *     ganesha's release-address event expires exactly the clients whose id string contains it
   * @param retryBudget how long one operation may keep retrying connection failures and
   *     NFS4ERR_GRACE / NFS4ERR_DELAY before it fails
   */
  public Nfs4Client(RpcTcpTransport transport, String id, Duration retryBudget) {
    this(transport, id, retryBudget, 0);
  }

  /** {@code minorVersion} 0 (SETCLIENTID, RENEW) or 1 (EXCHANGE_ID, a session, SEQUENCE, RECLAIM_COMPLETE). */
  public Nfs4Client(RpcTcpTransport transport, String id, Duration retryBudget, int minorVersion) {
    if (minorVersion != 0 && minorVersion != 1) {
      throw new IllegalArgumentException("NFSv4 minor version 0 or 1, not " + minorVersion);
    }
    this.minorVersion = minorVersion;
    this.transport = transport;
    this.id = id;
    this.owner = ("open-owner " + id).getBytes(StandardCharsets.UTF_8);
    this.retryBudget = retryBudget;
  }

  /** The id string a Linux 4.0 client would use from {@code clientIp} to {@code serverIp}. */
  public static String linuxStyleId(String clientIp, String serverIp) {
    return "Brickyard-test NFSv4.0 " + clientIp + "/" + serverIp + " tcp";
  }

  /** Saves every exchange's request and reply record (marks included) as NNN-label.{req,rep}.bin. */
  public void capture(Path dir) throws IOException {
    Files.createDirectories(dir);
    transport.tap((proc, request, reply) -> {
      String name = String.format("%03d-%s", captureSeq.incrementAndGet(), currentLabel);
      try {
        Files.write(dir.resolve(name + ".req.bin"), request);
        Files.write(dir.resolve(name + ".rep.bin"), reply);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  public synchronized List<Event> events() {
    return List.copyOf(events);
  }

  public synchronized long clientid() {
    return clientid;
  }

  /**
   * SETCLIENTID then SETCLIENTID_CONFIRM (4.0), or EXCHANGE_ID then CREATE_SESSION (4.1), with a fresh
   * verifier (a new client instance).
   */
  public synchronized void establishClientId() throws IOException {
    byte[] verifier = ByteBuffer.allocate(8).putLong(System.nanoTime() ^ System.currentTimeMillis() << 20).array();
    if (minorVersion == 1) {
      establishSession(verifier);
      return;
    }
    Compound.Result r = exec("setclientid", () -> new Compound("setclientid").setClientId(verifier, id, 1));
    Compound.SetClientIdOk ok = check(r, "SETCLIENTID", Compound.OP_SETCLIENTID, Compound.SetClientIdOk.class);
    Compound.Result c = exec("setclientid_confirm",
        () -> new Compound("setclientid_confirm").setClientIdConfirm(ok.clientid(), ok.confirm()));
    check(c, "SETCLIENTID_CONFIRM", Compound.OP_SETCLIENTID_CONFIRM, Object.class);
    clientid = ok.clientid();
    seqid = 0; // a new client id means a new open-owner, whose first seqid the server takes as given
    note("clientid", "clientid " + Long.toHexString(clientid) + " verifier " + HexFormat.of().formatHex(verifier));
  }

  private void establishSession(byte[] verifier) throws IOException {
    sessionid = null;
    Compound.Result r = exec("exchange_id", () -> new Compound("exchange_id", 1).exchangeId(verifier, id));
    Compound.ExchangeIdOk ok = check(r, "EXCHANGE_ID", Compound.OP_EXCHANGE_ID, Compound.ExchangeIdOk.class);
    Compound.Result c = exec("create_session",
        () -> new Compound("create_session", 1).createSession(ok.clientid(), ok.sequenceid()));
    Compound.SessionOk session = check(c, "CREATE_SESSION", Compound.OP_CREATE_SESSION, Compound.SessionOk.class);
    clientid = ok.clientid();
    sessionid = session.sessionid();
    slotSequence = 1; // RFC 8881 2.10.6.1: a slot's first request carries sequence id 1
    reclaimComplete = false;
    note("clientid", "clientid " + Long.toHexString(clientid) + " session " + HexFormat.of().formatHex(sessionid)
        + " verifier " + HexFormat.of().formatHex(verifier));
  }

  /** NFSv4.1's RECLAIM_COMPLETE: nothing (more) to reclaim under this client id. */
  public synchronized void reclaimComplete() throws IOException {
    Compound.Result r = exec("reclaim_complete", () -> compound("reclaim_complete").reclaimComplete());
    check(r, "RECLAIM_COMPLETE", Compound.OP_RECLAIM_COMPLETE, Object.class);
    reclaimComplete = true;
    note("reclaim-complete", "clientid " + Long.toHexString(clientid));
  }

  /** RENEW (4.0) or a lone SEQUENCE (4.1): keeps the lease (reads and writes with an open stateid renew it too). */
  public synchronized Nfs4Status renew() throws IOException {
    long cid = clientid;
    Compound.Result r = exec("renew", () -> minorVersion == 1 ? compound("renew") : new Compound("renew").renew(cid));
    return r.status();
  }

  /** A COMPOUND of this client's minor version, in 4.1 opened by SEQUENCE on the session's slot. */
  private Compound compound(String tag) {
    Compound c = new Compound(tag, minorVersion);
    return sessionid == null ? c : c.sequence(sessionid, slotSequence);
  }

  /** The file handle and attributes of a path from the pseudo root ("/vol1/f"). */
  public synchronized Compound.Attrs stat(String path) throws IOException {
    Compound.Result r = exec("stat", () -> lookupPath(compound("stat"), components(path))
        .getAttr(Compound.FATTR4_TYPE, Compound.FATTR4_SIZE, Compound.FATTR4_FILEID));
    return check(r, "GETATTR " + path, Compound.OP_GETATTR, Compound.Attrs.class);
  }

  /**
   * OPEN with CLAIM_NULL (READ or READ|WRITE; with {@code create}, UNCHECKED4 mode 0644), then
   * OPEN_CONFIRM if the server asks for it (a 4.0 server does for an open-owner it has not seen).
   */
  public synchronized OpenFile open(String path, int shareAccess, boolean create) throws IOException {
    if (clientid == 0) {
      establishClientId();
    }
    if (minorVersion == 1 && !reclaimComplete) {
      reclaimComplete(); // nothing to reclaim: a new client id holds no state yet
    }
    List<String> parts = components(path);
    String name = parts.get(parts.size() - 1);
    Compound.Result r = exec("open", () -> lookupPath(compound("open"), parts.subList(0, parts.size() - 1))
        .openByName(seqid, shareAccess, clientid, owner, create, name).getFh());
    Compound.OpenOk ok = check(r, "OPEN " + path, Compound.OP_OPEN, Compound.OpenOk.class);
    byte[] fh = r.value(Compound.OP_GETFH, byte[].class);
    OpenFile f = new OpenFile(path, fh, shareAccess, confirmIfAsked(fh, ok));
    open.add(f);
    return f;
  }

  /** READ, reclaiming first if the server lost this client's state. */
  public byte[] read(OpenFile f, long offset, int count) throws IOException {
    Compound.Result r = stateful(f, "read", () -> compound("read").putFh(f.fh).read(f.stateid, offset, count));
    return check(r, "READ " + f.path, Compound.OP_READ, Compound.ReadOk.class).data();
  }

  /** WRITE FILE_SYNC4; answers the count written. */
  public long write(OpenFile f, long offset, byte[] data) throws IOException {
    Compound.Result r = stateful(f, "write", () -> compound("write").putFh(f.fh).write(f.stateid, offset, data));
    return check(r, "WRITE " + f.path, Compound.OP_WRITE, Compound.WriteOk.class).count();
  }

  public synchronized Compound.Attrs getattr(OpenFile f) throws IOException {
    Compound.Result r = exec("getattr", () -> compound("getattr").putFh(f.fh)
        .getAttr(Compound.FATTR4_TYPE, Compound.FATTR4_SIZE, Compound.FATTR4_FILEID));
    return check(r, "GETATTR " + f.path, Compound.OP_GETATTR, Compound.Attrs.class);
  }

  public synchronized void close(OpenFile f) throws IOException {
    Compound.Result r = exec("close", () -> compound("close").putFh(f.fh).close(seqid, f.stateid));
    check(r, "CLOSE " + f.path, Compound.OP_CLOSE, Compound.Stateid.class);
    open.remove(f);
  }

  @Override
  public void close() {
    transport.close();
  }

  /**
   * Runs an operation that uses an open stateid; when the server says the state is gone, reclaims
   * every open file and runs it again.
   */
  private synchronized Compound.Result stateful(OpenFile f, String label, Supplier<Compound> build) throws IOException {
    for (int attempt = 0; ; attempt++) {
      Compound.Result r = exec(label, build);
      Compound.OpResult failed = r.failed();
      if (failed == null || !failed.status().lostState() || attempt >= MAX_RECOVERIES) {
        return r;
      }
      recover(failed.status());
    }
  }

  /**
   * RFC 7530 9.6.2, the client's side of a server restart: a new client id under the same id string,
   * then OPEN CLAIM_PREVIOUS for each file held open (in 4.1 then RECLAIM_COMPLETE). A state error that
   * is not a lost client (RENEW or SEQUENCE still succeeds) is not a restart, and reclaiming would be
   * wrong: it is reported as is.
   */
  private void recover(Nfs4Status trigger) throws IOException {
    note("recovery", "triggered by " + trigger);
    if (renew() == Nfs4Status.NFS4_OK) {
      throw new Nfs4Exception("state error while the client id is still valid", trigger);
    }
    establishClientId();
    for (OpenFile f : List.copyOf(open)) {
      Compound.Result r = exec("reclaim", () -> compound("reclaim").putFh(f.fh)
          .openReclaim(seqid, f.access, clientid, owner));
      Compound.OpResult failed = r.failed();
      if (failed != null) {
        note("reclaim-refused", f.path + " " + failed.name() + " " + failed.status());
        open.remove(f); // its state is lost: the caller must open it anew
        throw new ReclaimRefused(f.path, failed.status());
      }
      Compound.OpenOk ok = r.value(Compound.OP_OPEN, Compound.OpenOk.class);
      f.stateid = confirmIfAsked(f.fh, ok);
      note("reclaimed", f.path + " stateid " + f.stateid);
    }
    if (minorVersion == 1) {
      reclaimComplete();
    }
  }

  private Compound.Stateid confirmIfAsked(byte[] fh, Compound.OpenOk ok) throws IOException {
    if ((ok.rflags() & Compound.OPEN4_RESULT_CONFIRM) == 0) {
      return ok.stateid();
    }
    Compound.Result r = exec("open_confirm", () -> compound("open_confirm").putFh(fh).openConfirm(ok.stateid(), seqid));
    return check(r, "OPEN_CONFIRM", Compound.OP_OPEN_CONFIRM, Compound.Stateid.class);
  }

  /**
   * Sends a COMPOUND, rebuilt for every attempt (an open-owner's seqid may have advanced), until it
   * gets an answer that is not NFS4ERR_GRACE / NFS4ERR_DELAY, reconnecting after connection failures,
   * with exponential backoff (50 ms doubling to 500 ms) within the retry budget.
   */
  private synchronized Compound.Result exec(String label, Supplier<Compound> build) throws IOException {
    long deadline = System.nanoTime() + retryBudget.toNanos();
    Duration backoff = FIRST_BACKOFF;
    while (true) {
      Compound c = build.get();
      boolean wasConnected = transport.connected();
      Compound.Result r;
      try {
        currentLabel = label;
        byte[] reply = transport.call(COMPOUND, c.encode());
        if (!wasConnected) {
          note("connected", transport.server().toString());
        }
        r = Compound.decode(reply);
      } catch (RpcTcpTransport.RpcException | Xdr.XdrException e) {
        note("rpc-error", c.describe() + ": " + e.getMessage());
        throw e instanceof IOException io ? io : new IOException(e);
      } catch (IOException e) {
        note("io-error", c.describe() + ": " + e);
        if (System.nanoTime() > deadline) {
          throw e;
        }
        sleep(backoff);
        backoff = next(backoff);
        continue;
      }
      Compound.OpResult failed = r.failed();
      record(c.describe(), r.status(), r.rawStatus(), failed == null ? "" : "failed at " + failed.name() + " " + r);
      advanceSeqid(r);
      advanceSlot(r);
      boolean replayed = r.status() == Nfs4Status.NFS4ERR_RETRY_UNCACHED_REP; // a request the server had seen
      if ((r.status().retryLater() || replayed) && System.nanoTime() < deadline) {
        sleep(backoff);
        backoff = next(backoff);
        continue;
      }
      return r;
    }
  }

  /** RFC 7530 9.1.7: OPEN, OPEN_CONFIRM and CLOSE advance the owner's seqid unless they failed early. */
  private void advanceSeqid(Compound.Result r) {
    for (Compound.OpResult o : r.results()) {
      if ((o.op() == Compound.OP_OPEN || o.op() == Compound.OP_OPEN_CONFIRM || o.op() == Compound.OP_CLOSE)
          && o.status().advancesSeqid()) {
        seqid++;
      }
    }
  }

  /**
   * RFC 8881 2.10.6.1: the slot's sequence id goes up by one for each request the server took on it
   * (SEQUENCE answered OK, or a replay it did not cache). Unanswered requests go again with the same id.
   */
  private void advanceSlot(Compound.Result r) {
    if (sessionid == null || r.results().isEmpty() || r.results().get(0).op() != Compound.OP_SEQUENCE) {
      return;
    }
    Nfs4Status st = r.results().get(0).status();
    if (st == Nfs4Status.NFS4_OK || st == Nfs4Status.NFS4ERR_RETRY_UNCACHED_REP) {
      slotSequence++;
    }
  }

  private static Duration next(Duration d) {
    Duration n = d.multipliedBy(2);
    return n.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : n;
  }

  private static void sleep(Duration d) throws IOException {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static <T> T check(Compound.Result r, String what, int op, Class<T> type) throws Nfs4Exception {
    Compound.OpResult failed = r.failed();
    if (failed != null) {
      throw new Nfs4Exception(what + " (" + failed.name() + ")", failed.status());
    }
    return r.value(op, type);
  }

  private static Compound lookupPath(Compound c, List<String> parts) {
    c.putRootFh();
    for (String p : parts) {
      c.lookup(p);
    }
    return c;
  }

  private static List<String> components(String path) {
    List<String> parts = new ArrayList<>();
    for (String p : path.split("/")) {
      if (!p.isEmpty()) {
        parts.add(p);
      }
    }
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("empty path: " + path);
    }
    return parts;
  }

  private synchronized void note(String what, String detail) {
    events.add(new Event(Instant.now(), System.nanoTime(), transport.server().getHostString(), what, null, -1, detail));
  }

  private synchronized void record(String what, Nfs4Status status, int raw, String detail) {
    events.add(new Event(Instant.now(), System.nanoTime(), transport.server().getHostString(), what, status, raw, detail));
  }
}
