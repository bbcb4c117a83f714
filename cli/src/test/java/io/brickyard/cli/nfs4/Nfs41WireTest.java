package io.brickyard.cli.nfs4;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The client's NFSv4.1 wire format on exchanges captured from nfs-ganesha 4.3 in the lab on 2026-12-02
 * ({@code fixtures/nfs41}, README there): FailoverLabE2ETest's moonshot client ("moonshot", 10.77.0.1)
 * on gluster1 through VIP 10.77.0.201, then on gluster2 after ganesha on gluster1 was killed and the
 * leader moved the VIP. Requests are rebuilt with our encoder from the test's fixed values and earlier
 * captured replies, byte for byte; read back from the capture instead: the xid and the EXCHANGE_ID
 * verifiers (clock-based), and the READ offsets (where the reader was).
 */
class Nfs41WireTest {
  private static final Captures CAPTURES = new Captures("nfs41", 1);
  private static final String CLIENT = "moonshot";
  private static final String ID = Nfs4Client.linuxStyleId(ReclaimingReader.CLIENT_IP, "10.77.0.201") + " " + CLIENT;
  private static final byte[] OWNER = ("open-owner " + ID).getBytes(StandardCharsets.UTF_8);

  @ParameterizedTest
  @ValueSource(strings = {"exchange_id", "create_session", "reclaim_complete", "open", "read", "read-after-move",
      "sequence-after-move", "exchange_id-after-move", "create_session-after-move", "reclaim",
      "reclaim_complete-after-reclaim", "read-after-reclaim"})
  void everyCapturedExchangeIsMinorVersionOneAndDecodesCompletely(String name) throws Exception {
    Xdr.Reader a = new Xdr.Reader(CAPTURES.call(name).args());
    assertThat(a.string(1024)).isNotEmpty();
    assertThat(a.u32()).as("minor version").isEqualTo(1);
    long ops = a.u32();
    int first = a.i32();
    boolean setup = first == Compound.OP_EXCHANGE_ID || first == Compound.OP_CREATE_SESSION;
    assertThat(setup ? ops == 1 : first == Compound.OP_SEQUENCE).as(name + ": SEQUENCE first unless session set-up")
        .isTrue();
    assertThat(CAPTURES.reply(name).results()).isNotEmpty();
  }

  /** EXCHANGE_ID then CREATE_SESSION on gluster1; everything after it goes on slot 0, sequence 1, 2, ... */
  @Test
  void exchangeIdCreateSessionThenTheSlotCounts() throws Exception {
    byte[] verifier = CAPTURES.args("exchange_id", Compound.OP_EXCHANGE_ID).fixed(8);
    assertThat(CAPTURES.reencode("exchange_id", CLIENT, new Compound("exchange_id", 1).exchangeId(verifier, ID)))
        .isEqualTo(CAPTURES.fixture("exchange_id.req.bin"));
    Compound.Result ex = CAPTURES.reply("exchange_id");
    assertThat(ex.toString()).isEqualTo("NFS4_OK EXCHANGE_ID=NFS4_OK");
    Compound.ExchangeIdOk ok = ex.value(Compound.OP_EXCHANGE_ID, Compound.ExchangeIdOk.class);
    assertThat(Long.toHexString(ok.clientid())).isEqualTo("d221a93500000031");

    assertThat(CAPTURES.reencode("create_session", CLIENT,
        new Compound("create_session", 1).createSession(ok.clientid(), ok.sequenceid())))
        .isEqualTo(CAPTURES.fixture("create_session.req.bin"));
    Compound.SessionOk session = CAPTURES.reply("create_session").value(Compound.OP_CREATE_SESSION,
        Compound.SessionOk.class);
    assertThat(HexFormat.of().formatHex(session.sessionid())).isEqualTo("3100000035a921d20100000000000000");
    assertThat(session.maxRequests()).as("the one slot asked for").isEqualTo(1);

    // a new client id has nothing to reclaim: RECLAIM_COMPLETE first, else ganesha refuses its opens in grace
    assertThat(CAPTURES.reencode("reclaim_complete", CLIENT, new Compound("reclaim_complete", 1)
        .sequence(session.sessionid(), 1).reclaimComplete())).isEqualTo(CAPTURES.fixture("reclaim_complete.req.bin"));
    Compound.Result rc = CAPTURES.reply("reclaim_complete");
    assertThat(rc.toString()).isEqualTo("NFS4_OK SEQUENCE=NFS4_OK RECLAIM_COMPLETE=NFS4_OK");
    assertThat(rc.value(Compound.OP_SEQUENCE, Compound.SequenceOk.class).sequenceid()).isEqualTo(1);

    assertThat(CAPTURES.reencode("open", CLIENT, new Compound("open", 1).sequence(session.sessionid(), 2).putRootFh()
        .lookup("vol1").openByName(0, Compound.SHARE_ACCESS_READ, ok.clientid(), OWNER, false, "moonshot.bin").getFh()))
        .isEqualTo(CAPTURES.fixture("open.req.bin"));
    Compound.Result open = CAPTURES.reply("open");
    assertThat(open.toString())
        .isEqualTo("NFS4_OK SEQUENCE=NFS4_OK PUTROOTFH=NFS4_OK LOOKUP=NFS4_OK OPEN=NFS4_OK GETFH=NFS4_OK");
    Compound.OpenOk opened = open.value(Compound.OP_OPEN, Compound.OpenOk.class);
    assertThat(opened.rflags() & Compound.OPEN4_RESULT_CONFIRM).as("4.1 never asks for OPEN_CONFIRM").isZero();

    byte[] fh = open.value(Compound.OP_GETFH, byte[].class);
    assertThat(CAPTURES.reencode("read", CLIENT, new Compound("read", 1).sequence(session.sessionid(), 3).putFh(fh)
        .read(opened.stateid(), 0, ReclaimingReader.CHUNK))).isEqualTo(CAPTURES.fixture("read.req.bin"));
    Compound.ReadOk data = CAPTURES.reply("read").value(Compound.OP_READ, Compound.ReadOk.class);
    assertThat(data.data()).hasSize(ReclaimingReader.CHUNK);
  }

  /**
   * After the move gluster2 knows no such session: BADSESSION to the READ and to a lone SEQUENCE; a new
   * client id under the same owner, the reclaim of the open with CLAIM_PREVIOUS, RECLAIM_COMPLETE (what
   * lets ganesha end grace early), and the READ goes on with the reclaimed stateid.
   */
  @Test
  void afterTheMoveBadSessionThenReclaimAndReclaimComplete() throws Exception {
    byte[] oldSession = CAPTURES.reply("create_session").value(Compound.OP_CREATE_SESSION, Compound.SessionOk.class)
        .sessionid();
    byte[] fh = CAPTURES.reply("open").value(Compound.OP_GETFH, byte[].class);
    Compound.Result refused = CAPTURES.reply("read-after-move");
    assertThat(refused.toString()).isEqualTo("NFS4ERR_BADSESSION SEQUENCE=NFS4ERR_BADSESSION");
    assertThat(refused.status().lostState()).isTrue();
    assertThat(CAPTURES.args("sequence-after-move", Compound.OP_SEQUENCE).fixed(16)).isEqualTo(oldSession);
    assertThat(CAPTURES.reply("sequence-after-move").toString()).isEqualTo("NFS4ERR_BADSESSION SEQUENCE=NFS4ERR_BADSESSION");

    byte[] verifier = CAPTURES.args("exchange_id-after-move", Compound.OP_EXCHANGE_ID).fixed(8);
    assertThat(CAPTURES.reencode("exchange_id-after-move", CLIENT, new Compound("exchange_id", 1)
        .exchangeId(verifier, ID))).isEqualTo(CAPTURES.fixture("exchange_id-after-move.req.bin"));
    Compound.ExchangeIdOk ok = CAPTURES.reply("exchange_id-after-move").value(Compound.OP_EXCHANGE_ID,
        Compound.ExchangeIdOk.class);
    assertThat(Long.toHexString(ok.clientid())).as("gluster2's epoch, not gluster1's").isEqualTo("d221a5b200000004");
    assertThat(CAPTURES.reencode("create_session-after-move", CLIENT,
        new Compound("create_session", 1).createSession(ok.clientid(), ok.sequenceid())))
        .isEqualTo(CAPTURES.fixture("create_session-after-move.req.bin"));
    byte[] session = CAPTURES.reply("create_session-after-move").value(Compound.OP_CREATE_SESSION,
        Compound.SessionOk.class).sessionid();

    // the open-owner's seqid is ignored in 4.1; the client sends what its 4.0 bookkeeping has: 1 after one OPEN
    assertThat(CAPTURES.reencode("reclaim", CLIENT, new Compound("reclaim", 1).sequence(session, 1).putFh(fh)
        .openReclaim(1, Compound.SHARE_ACCESS_READ, ok.clientid(), OWNER))).isEqualTo(CAPTURES.fixture("reclaim.req.bin"));
    Compound.Result reclaim = CAPTURES.reply("reclaim");
    assertThat(reclaim.toString()).isEqualTo("NFS4_OK SEQUENCE=NFS4_OK PUTFH=NFS4_OK OPEN=NFS4_OK");
    Compound.Stateid sid = reclaim.value(Compound.OP_OPEN, Compound.OpenOk.class).stateid();

    assertThat(CAPTURES.reencode("reclaim_complete-after-reclaim", CLIENT, new Compound("reclaim_complete", 1)
        .sequence(session, 2).reclaimComplete())).isEqualTo(CAPTURES.fixture("reclaim_complete-after-reclaim.req.bin"));
    assertThat(CAPTURES.reply("reclaim_complete-after-reclaim").toString())
        .isEqualTo("NFS4_OK SEQUENCE=NFS4_OK RECLAIM_COMPLETE=NFS4_OK");

    Xdr.Reader a = CAPTURES.args("read-after-reclaim", Compound.OP_SEQUENCE);
    a.fixed(16);
    a.u32();
    a.u32();
    a.u32();
    a.u32(); // cachethis
    assertThat(a.i32()).isEqualTo(Compound.OP_PUTFH);
    a.opaque(128);
    assertThat(a.i32()).isEqualTo(Compound.OP_READ);
    Compound.Stateid.decode(a);
    long offset = a.u64(); // where the reader was: read back
    assertThat(CAPTURES.reencode("read-after-reclaim", CLIENT, new Compound("read", 1).sequence(session, 3).putFh(fh)
        .read(sid, offset, ReclaimingReader.CHUNK))).isEqualTo(CAPTURES.fixture("read-after-reclaim.req.bin"));
    assertThat(CAPTURES.reply("read-after-reclaim").toString()).isEqualTo("NFS4_OK SEQUENCE=NFS4_OK PUTFH=NFS4_OK READ=NFS4_OK");
  }
}
