package io.brickyard.cli.nfs4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The client's wire format on exchanges captured from nfs-ganesha 4.3 in the lab on 2026-12-01
 * ({@code fixtures/nfs4}, README there): each request is what {@link Nfs4ReclaimE2ETest}'s client sent,
 * each reply what ganesha answered. Three clients appear: "first" (gluster1, no move), "reader" (across
 * the move gluster1 -> gluster2, reclaim accepted) and "control" (gluster2 -> gluster1 without the takeover
 * link, reclaim refused).
 *
 * <p>Requests are rebuilt with our encoder from values that are either fixed by the test (id strings,
 * owner, machine name, path, offsets) or taken from an earlier captured reply (client id, confirm
 * verifier, file handle, stateids), and must come out byte for byte. Read back from the captured request
 * instead: the RPC xid (random: the transport's counter starts from the clock), SETCLIENTID's verifier
 * (clock-based), and two values whose source reply was not kept (named where they are read). Replies are
 * decoded with our decoder and checked against the values ganesha gave; READ data against the test's
 * seeded generator.
 */
class Nfs4WireTest {
  static final int CHUNK = Nfs4ReclaimE2ETest.CHUNK;
  /** Where the reader was when the VIP moved: the READ that failed and the one after the reclaim. */
  static final long MOVE_OFFSET = 35L * CHUNK;

  private static final Captures CAPTURES = new Captures("nfs4", 0);

  static byte[] fixture(String name) throws Exception {
    return CAPTURES.fixture(name);
  }

  static Captures.Call call(String name) throws Exception {
    return CAPTURES.call(name);
  }

  static Xdr.Reader args(String name, int firstOp) throws Exception {
    return CAPTURES.args(name, firstOp);
  }

  static Compound.Result reply(String name) throws Exception {
    return CAPTURES.reply(name);
  }

  /** The request record of {@code client} (first, reader, control) rebuilt from a compound ({@link Captures#reencode}). */
  static byte[] reencode(String name, String client, Compound c) throws Exception {
    return CAPTURES.reencode(name, client, c);
  }

  /** The nfs_client_id4 string and the open-owner of a client, as the e2e test and {@link Nfs4Client} build them. */
  static String id(String client) {
    return Nfs4Client.linuxStyleId(Nfs4ReclaimE2ETest.CLIENT_IP, Nfs4ReclaimE2ETest.VIP) + " " + client;
  }

  static byte[] owner(String client) {
    return ("open-owner " + id(client)).getBytes(StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @ValueSource(strings = {"setclientid", "setclientid_confirm", "open", "open_confirm", "read", "close",
      "read-after-move", "renew-after-move", "setclientid-after-move", "reclaim", "read-after-reclaim",
      "reclaim-refused"})
  void everyCapturedExchangeIsOneRecordEachWayAndDecodesCompletely(String name) throws Exception {
    for (String dir : List.of(".req.bin", ".rep.bin")) {
      byte[] raw = fixture(name + dir);
      int mark = ((raw[0] & 0xff) << 24) | ((raw[1] & 0xff) << 16) | ((raw[2] & 0xff) << 8) | (raw[3] & 0xff);
      assertThat(mark & 0x80000000).as("last fragment").isNotZero();
      assertThat(mark & 0x7fffffff).as("fragment length").isEqualTo(raw.length - 4);
      ByteArrayOutputStream copy = new ByteArrayOutputStream();
      RpcTcpTransport.readRecord(new ByteArrayInputStream(raw), copy);
      assertThat(copy.toByteArray()).isEqualTo(raw);
    }
    Captures.Call c = call(name);
    // AUTH_SYS: stamp 0, machine name, uid 0, gid 0, no gids
    Xdr.Reader cred = new Xdr.Reader(c.credential());
    assertThat(cred.i32()).isEqualTo(1);
    Xdr.Reader parms = new Xdr.Reader(cred.opaque(400));
    assertThat(parms.u32()).isZero();
    assertThat(parms.string(255)).isIn("by-first", "by-reader", "by-control");
    assertThat(parms.u32()).isZero();
    assertThat(parms.u32()).isZero();
    assertThat(parms.u32()).isZero();
    assertThat(parms.remaining()).isZero();
    Compound.Result r = reply(name);
    assertThat(r.results()).isNotEmpty();
    assertThat(r.tag()).as("ganesha echoes the tag").isEqualTo(new Xdr.Reader(c.args()).string(1024));
  }

  @Test
  void oneCallAtATimeWithConsecutiveXids() throws Exception {
    int xid = call("setclientid").xid();
    for (String name : List.of("setclientid_confirm", "open", "open_confirm", "read", "close")) {
      assertThat(call(name).xid()).as(name).isEqualTo(++xid);
    }
  }

  @Test
  void setClientIdAndConfirm() throws Exception {
    Xdr.Reader a = args("setclientid", Compound.OP_SETCLIENTID);
    byte[] verifier = a.fixed(8); // clock-based: read back from the capture
    assertThat(a.string(1024)).isEqualTo("Brickyard-test NFSv4.0 10.77.0.1/10.77.0.201 tcp first");
    assertThat(reencode("setclientid", "first", new Compound("setclientid").setClientId(verifier, id("first"), 1)))
        .isEqualTo(fixture("setclientid.req.bin"));

    Compound.Result r = reply("setclientid");
    assertThat(r.toString()).isEqualTo("NFS4_OK SETCLIENTID=NFS4_OK");
    Compound.SetClientIdOk ok = r.value(Compound.OP_SETCLIENTID, Compound.SetClientIdOk.class);
    // ganesha's client id: its epoch (start time, 2026-12-01 17:49:11 UTC) << 32 | a counter from 1
    assertThat(ok.clientid()).isEqualTo(0x6b0f0897_00000001L);
    assertThat(ok.confirm()).containsExactly(1, 0, 0, 0, 0, 0, 0, 0);
    assertThat(reencode("setclientid_confirm", "first", new Compound("setclientid_confirm")
        .setClientIdConfirm(ok.clientid(), ok.confirm()))).isEqualTo(fixture("setclientid_confirm.req.bin"));
    assertThat(reply("setclientid_confirm").toString()).isEqualTo("NFS4_OK SETCLIENTID_CONFIRM=NFS4_OK");
  }

  @Test
  void openAsksForConfirmationThenReadAndClose() throws Exception {
    long clientid = reply("setclientid").value(Compound.OP_SETCLIENTID, Compound.SetClientIdOk.class).clientid();
    assertThat(reencode("open", "first", new Compound("open").putRootFh().lookup("vol1")
        .openByName(0, Compound.SHARE_ACCESS_READ, clientid, owner("first"), false, "reclaim.bin").getFh()))
        .isEqualTo(fixture("open.req.bin"));
    Compound.Result open = reply("open");
    assertThat(open.toString()).isEqualTo("NFS4_OK PUTROOTFH=NFS4_OK LOOKUP=NFS4_OK OPEN=NFS4_OK GETFH=NFS4_OK");
    Compound.OpenOk ok = open.value(Compound.OP_OPEN, Compound.OpenOk.class);
    assertThat(ok.rflags()).as("CONFIRM | LOCKTYPE_POSIX: a new open-owner is confirmed first").isEqualTo(6);
    assertThat(ok.delegationType()).as("no callback, no delegation").isZero();
    assertThat(ok.stateid().toString()).isEqualTo("1:0100000097080f6b01000000");
    byte[] fh = open.value(Compound.OP_GETFH, byte[].class);
    assertThat(fh).hasSize(37);

    assertThat(reencode("open_confirm", "first", new Compound("open_confirm").putFh(fh).openConfirm(ok.stateid(), 1)))
        .isEqualTo(fixture("open_confirm.req.bin"));
    Compound.Result confirmed = reply("open_confirm");
    assertThat(confirmed.toString()).isEqualTo("NFS4_OK PUTFH=NFS4_OK OPEN_CONFIRM=NFS4_OK");
    Compound.Stateid sid = confirmed.value(Compound.OP_OPEN_CONFIRM, Compound.Stateid.class);
    assertThat(sid.other()).isEqualTo(ok.stateid().other());
    assertThat(sid.seqid()).isEqualTo(ok.stateid().seqid() + 1);

    assertThat(reencode("read", "first", new Compound("read").putFh(fh).read(sid, 0, CHUNK)))
        .isEqualTo(fixture("read.req.bin"));
    Compound.Result read = reply("read");
    assertThat(read.toString()).isEqualTo("NFS4_OK PUTFH=NFS4_OK READ=NFS4_OK");
    Compound.ReadOk data = read.value(Compound.OP_READ, Compound.ReadOk.class);
    assertThat(data.eof()).isFalse();
    assertThat(data.data()).isEqualTo(Arrays.copyOfRange(content(), 0, CHUNK));

    // the owner's seqid: 0 at OPEN, 1 at OPEN_CONFIRM, 2 now
    assertThat(reencode("close", "first", new Compound("close").putFh(fh).close(2, sid)))
        .isEqualTo(fixture("close.req.bin"));
    Compound.Result close = reply("close");
    assertThat(close.toString()).isEqualTo("NFS4_OK PUTFH=NFS4_OK CLOSE=NFS4_OK");
    Compound.Stateid closed = close.value(Compound.OP_CLOSE, Compound.Stateid.class);
    assertThat(closed.other()).isEqualTo(sid.other());
    assertThat(closed.seqid()).isEqualTo(sid.seqid() + 1);
  }

  /**
   * The reader across the move to gluster2. Both ganeshas started in the same second, so their client
   * ids carry the same epoch: gluster2 takes the reader's old id for one of its own that has gone and
   * answers NFS4ERR_EXPIRED, not NFS4ERR_STALE_CLIENTID (ganesha's nfs_client_id_get: STALE only for
   * another epoch). The client treats both as lost state, then reclaims under the same id string.
   */
  @Test
  void afterTheMoveTheClientIsExpiredThenTheReclaimIsAcceptedAndTheReadGoesOn() throws Exception {
    long firstClientid = reply("setclientid").value(Compound.OP_SETCLIENTID, Compound.SetClientIdOk.class).clientid();
    byte[] fh = reply("open").value(Compound.OP_GETFH, byte[].class);

    // the reader's stateid comes from its own OPEN_CONFIRM reply, not kept: read back from the request
    Xdr.Reader a = args("read-after-move", Compound.OP_PUTFH);
    assertThat(a.opaque(128)).as("the same handle as the first client's OPEN").isEqualTo(fh);
    assertThat(a.i32()).isEqualTo(Compound.OP_READ);
    Compound.Stateid readerSid = new Compound.Stateid(a.i32(), a.fixed(12));
    assertThat(readerSid.toString()).as("OPEN then OPEN_CONFIRM of gluster1's second open-owner")
        .isEqualTo("2:0200000097080f6b01000000");
    assertThat(reencode("read-after-move", "reader", new Compound("read").putFh(fh).read(readerSid, MOVE_OFFSET, CHUNK)))
        .isEqualTo(fixture("read-after-move.req.bin"));
    Compound.Result refused = reply("read-after-move");
    assertThat(refused.toString()).isEqualTo("NFS4ERR_EXPIRED PUTFH=NFS4_OK READ=NFS4ERR_EXPIRED");
    assertThat(refused.failed().status().lostState()).isTrue();

    // the reader's client id was gluster1's next after the first client's (epoch << 32 | counter)
    assertThat(reencode("renew-after-move", "reader", new Compound("renew").renew(firstClientid + 1)))
        .isEqualTo(fixture("renew-after-move.req.bin"));
    Compound.Result renew = reply("renew-after-move");
    assertThat(renew.toString()).isEqualTo("NFS4ERR_EXPIRED RENEW=NFS4ERR_EXPIRED");
    assertThat(renew.status()).isNotEqualTo(Nfs4Status.NFS4_OK);

    Xdr.Reader s = args("setclientid-after-move", Compound.OP_SETCLIENTID);
    byte[] verifier = s.fixed(8); // clock-based: read back from the capture
    assertThat(reencode("setclientid-after-move", "reader", new Compound("setclientid")
        .setClientId(verifier, id("reader"), 1))).isEqualTo(fixture("setclientid-after-move.req.bin"));
    Compound.SetClientIdOk ok = reply("setclientid-after-move").value(Compound.OP_SETCLIENTID, Compound.SetClientIdOk.class);
    assertThat(ok.clientid()).as("gluster2's first client, same epoch as gluster1").isEqualTo(0x6b0f0897_00000001L);

    // a new client id resets the owner's seqid to 0; SETCLIENTID_CONFIRM (not kept) came between
    assertThat(call("reclaim").xid()).isEqualTo(call("setclientid-after-move").xid() + 2);
    assertThat(reencode("reclaim", "reader", new Compound("reclaim").putFh(fh)
        .openReclaim(0, Compound.SHARE_ACCESS_READ, ok.clientid(), owner("reader"))))
        .isEqualTo(fixture("reclaim.req.bin"));
    Compound.Result reclaim = reply("reclaim");
    assertThat(reclaim.toString()).isEqualTo("NFS4_OK PUTFH=NFS4_OK OPEN=NFS4_OK");
    Compound.OpenOk reclaimed = reclaim.value(Compound.OP_OPEN, Compound.OpenOk.class);
    // ganesha marks a reclaiming owner confirmed: LOCKTYPE_POSIX only, no OPEN_CONFIRM
    assertThat(reclaimed.rflags()).isEqualTo(4);
    assertThat(reclaimed.delegationType()).isZero();
    assertThat(reclaimed.stateid().toString()).isEqualTo("1:0100000097080f6b01000000");

    // the same READ again, with the reclaimed stateid, and the file's bytes at that offset
    assertThat(reencode("read-after-reclaim", "reader", new Compound("read").putFh(fh)
        .read(reclaimed.stateid(), MOVE_OFFSET, CHUNK))).isEqualTo(fixture("read-after-reclaim.req.bin"));
    Compound.Result read = reply("read-after-reclaim");
    assertThat(read.toString()).isEqualTo("NFS4_OK PUTFH=NFS4_OK READ=NFS4_OK");
    Compound.ReadOk data = read.value(Compound.OP_READ, Compound.ReadOk.class);
    assertThat(data.eof()).isFalse();
    assertThat(data.data()).isEqualTo(Arrays.copyOfRange(content(), (int) MOVE_OFFSET, (int) MOVE_OFFSET + CHUNK));
  }

  @Test
  void withoutTheTakeoverLinkTheReclaimIsRefusedWithNoGrace() throws Exception {
    byte[] fh = reply("open").value(Compound.OP_GETFH, byte[].class);
    // the control's new client id comes from a SETCLIENTID reply not kept: read back from the request
    Xdr.Reader a = args("reclaim-refused", Compound.OP_PUTFH);
    a.opaque(128);
    assertThat(a.i32()).isEqualTo(Compound.OP_OPEN);
    a.u32();
    a.u32();
    a.u32();
    long clientid = a.u64();
    assertThat(clientid).as("gluster1's third client").isEqualTo(0x6b0f0897_00000003L);
    assertThat(reencode("reclaim-refused", "control", new Compound("reclaim").putFh(fh)
        .openReclaim(0, Compound.SHARE_ACCESS_READ, clientid, owner("control"))))
        .isEqualTo(fixture("reclaim-refused.req.bin"));
    Compound.Result refused = reply("reclaim-refused");
    assertThat(refused.toString()).isEqualTo("NFS4ERR_NO_GRACE PUTFH=NFS4_OK OPEN=NFS4ERR_NO_GRACE");
    assertThat(refused.failed().name()).isEqualTo("OPEN");
    assertThat(refused.status().lostState()).as("a refusal, not a state loss to recover from").isFalse();
    assertThat(refused.status().retryLater()).isFalse();
  }

  @Test
  void fragmentedRecordIsJoinedAndTruncatedOnesFail() throws Exception {
    byte[] raw = fixture("open.rep.bin");
    byte[] body = Arrays.copyOfRange(raw, 4, raw.length);
    int half = body.length / 2;
    byte[] two = new Xdr.Writer().u32(half).raw(Arrays.copyOf(body, half))
        .u32(0x80000000L | (body.length - half)).raw(Arrays.copyOfRange(body, half, body.length)).toBytes();
    assertThat(RpcTcpTransport.readRecord(new ByteArrayInputStream(two), null)).isEqualTo(body);
    assertThatThrownBy(() -> RpcTcpTransport.readRecord(new ByteArrayInputStream(Arrays.copyOf(raw, raw.length - 1)), null))
        .isInstanceOf(EOFException.class);
    RpcTcpTransport.Reply rep = RpcTcpTransport.decodeReply(body);
    assertThatThrownBy(() -> Compound.decode(Arrays.copyOf(rep.result(), rep.result().length - 4)))
        .isInstanceOf(Xdr.XdrException.class);
  }

  /** The file the e2e test reads: its seeded generator. */
  static byte[] content() {
    byte[] b = new byte[Nfs4ReclaimE2ETest.SIZE];
    new Random(20261201L).nextBytes(b);
    return b;
  }
}
