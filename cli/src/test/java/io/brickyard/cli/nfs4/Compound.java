package io.brickyard.cli.nfs4;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * One NFSv4.0 COMPOUND (RFC 7530, section 16.2), or NFSv4.1 (RFC 8881, section 18.46, with the session
 * operations of section 18.35-18.51): the arguments of the few operations the client sends, and the
 * decoder of the reply. The reply names each result's operation itself (resop), so
 * the decoder needs no knowledge of the request: a captured reply decodes on its own, which is what
 * the fixture tests rely on.
 *
 * <p>Every operation the server did not run (the COMPOUND stops at the first failure) is simply
 * absent from the results, as on the wire.
 */
public final class Compound {
  public static final int OP_CLOSE = 4;
  public static final int OP_COMMIT = 5;
  public static final int OP_GETATTR = 9;
  public static final int OP_GETFH = 10;
  public static final int OP_LOOKUP = 15;
  public static final int OP_OPEN = 18;
  public static final int OP_OPEN_CONFIRM = 20;
  public static final int OP_PUTFH = 22;
  public static final int OP_PUTROOTFH = 24;
  public static final int OP_READ = 25;
  public static final int OP_RENEW = 30;
  public static final int OP_SETCLIENTID = 35;
  public static final int OP_SETCLIENTID_CONFIRM = 36;
  public static final int OP_WRITE = 38;
  public static final int OP_EXCHANGE_ID = 42;
  public static final int OP_CREATE_SESSION = 43;
  public static final int OP_DESTROY_SESSION = 44;
  public static final int OP_SEQUENCE = 53;
  public static final int OP_RECLAIM_COMPLETE = 58;

  private static final Map<Integer, String> NAMES = Map.ofEntries(Map.entry(OP_CLOSE, "CLOSE"),
      Map.entry(OP_COMMIT, "COMMIT"), Map.entry(OP_GETATTR, "GETATTR"), Map.entry(OP_GETFH, "GETFH"),
      Map.entry(OP_LOOKUP, "LOOKUP"), Map.entry(OP_OPEN, "OPEN"), Map.entry(OP_OPEN_CONFIRM, "OPEN_CONFIRM"),
      Map.entry(OP_PUTFH, "PUTFH"), Map.entry(OP_PUTROOTFH, "PUTROOTFH"), Map.entry(OP_READ, "READ"),
      Map.entry(OP_RENEW, "RENEW"), Map.entry(OP_SETCLIENTID, "SETCLIENTID"),
      Map.entry(OP_SETCLIENTID_CONFIRM, "SETCLIENTID_CONFIRM"), Map.entry(OP_WRITE, "WRITE"),
      Map.entry(OP_EXCHANGE_ID, "EXCHANGE_ID"), Map.entry(OP_CREATE_SESSION, "CREATE_SESSION"),
      Map.entry(OP_DESTROY_SESSION, "DESTROY_SESSION"), Map.entry(OP_SEQUENCE, "SEQUENCE"),
      Map.entry(OP_RECLAIM_COMPLETE, "RECLAIM_COMPLETE"));

  /** share_access bits. */
  public static final int SHARE_ACCESS_READ = 1;
  public static final int SHARE_ACCESS_BOTH = 3;
  /** OPEN4resok.rflags: the open-owner must be confirmed with OPEN_CONFIRM before use. */
  public static final int OPEN4_RESULT_CONFIRM = 2;
  /** fattr4 numbers the client asks for (word 0). */
  public static final int FATTR4_TYPE = 1;
  public static final int FATTR4_SIZE = 4;
  public static final int FATTR4_FILEID = 20;
  private static final int FATTR4_MODE = 33;
  private static final int NFS4_FHSIZE = 128;
  private static final int NFS4_OPAQUE_LIMIT = 1024;
  private static final int MAX_DATA = 4 << 20;

  public static String opName(int op) {
    return NAMES.getOrDefault(op, "OP" + op);
  }

  /** stateid4: a seqid and 12 opaque bytes ganesha fills with its epoch and a counter. */
  public record Stateid(int seqid, byte[] other) {
    void encode(Xdr.Writer w) {
      w.u32(seqid).fixed(other);
    }

    static Stateid decode(Xdr.Reader r) {
      return new Stateid(r.i32(), r.fixed(12));
    }

    @Override
    public String toString() {
      return Integer.toUnsignedString(seqid) + ":" + HexFormat.of().formatHex(other);
    }
  }

  public record SetClientIdOk(long clientid, byte[] confirm) {}

  /** EXCHANGE_ID4resok: the client id and the sequence id CREATE_SESSION must use. */
  public record ExchangeIdOk(long clientid, int sequenceid, int flags) {}

  /** CREATE_SESSION4resok: the session id (16 bytes) and the slots granted on the fore channel. */
  public record SessionOk(byte[] sessionid, int sequenceid, int maxRequests) {}

  /** SEQUENCE4resok: the slot's sequence id as the server took it, and the server's status flags. */
  public record SequenceOk(int sequenceid, int slotid, int statusFlags) {}

  public record OpenOk(Stateid stateid, int rflags, int delegationType) {}

  public record ReadOk(boolean eof, byte[] data) {}

  public record WriteOk(long count, int committed, byte[] verifier) {}

  /** The attributes the client understands; null when the server did not return one. */
  public record Attrs(Integer type, Long size, Long fileid) {}

  /** One operation's result: its status and, when OK, its decoded value (null for void results). */
  public record OpResult(int op, int rawStatus, Object value) {
    public Nfs4Status status() {
      return Nfs4Status.of(rawStatus);
    }

    public String name() {
      return opName(op);
    }
  }

  /** A decoded COMPOUND4res. */
  public record Result(int rawStatus, String tag, List<OpResult> results) {
    public Nfs4Status status() {
      return Nfs4Status.of(rawStatus);
    }

    /** The result of the last operation of this kind, which must be present and OK. */
    public <T> T value(int op, Class<T> type) {
      for (int i = results.size() - 1; i >= 0; i--) {
        if (results.get(i).op() == op) {
          return type.cast(results.get(i).value());
        }
      }
      throw new IllegalStateException("no " + opName(op) + " result in " + this);
    }

    /** The operation that failed (the last one run), or null when all succeeded. */
    public OpResult failed() {
      return results.isEmpty() || results.get(results.size() - 1).rawStatus() == 0 ? null
          : results.get(results.size() - 1);
    }

    @Override
    public String toString() {
      StringBuilder b = new StringBuilder(status().name());
      for (OpResult o : results) {
        b.append(' ').append(o.name()).append('=').append(o.status() == Nfs4Status.UNKNOWN ? o.rawStatus() : o.status());
      }
      return b.toString();
    }
  }

  private final String tag;
  private final int minorVersion;
  private final Xdr.Writer args = new Xdr.Writer();
  private final List<Integer> ops = new ArrayList<>();
  private final List<String> labels = new ArrayList<>();

  public Compound(String tag) {
    this(tag, 0);
  }

  /** {@code minorVersion} 0 (RFC 7530) or 1 (RFC 8881: every COMPOUND but the session set-up starts with SEQUENCE). */
  public Compound(String tag, int minorVersion) {
    if (minorVersion != 0 && minorVersion != 1) {
      throw new IllegalArgumentException("NFSv4 minor version 0 or 1, not " + minorVersion);
    }
    this.tag = tag;
    this.minorVersion = minorVersion;
  }

  private Xdr.Writer op(int op) {
    ops.add(op);
    labels.add(opName(op));
    return args.u32(op);
  }

  public List<Integer> ops() {
    return List.copyOf(ops);
  }

  /** The operations, OPEN with its claim: {@code PUTFH,OPEN(CLAIM_PREVIOUS)}. */
  public String describe() {
    return String.join(",", labels);
  }

  public String tag() {
    return tag;
  }

  private void label(String l) {
    labels.set(labels.size() - 1, l);
  }

  /**
   * SETCLIENTID: {@code id} is the nfs_client_id4 string that must stay the same across a server
   * change for a reclaim to be recognised; the verifier says "this client instance". No callback
   * service: the address is the "no callback" universal address of RFC 7530 (port 0).
   */
  public Compound setClientId(byte[] verifier, String id, int callbackIdent) {
    op(OP_SETCLIENTID).fixed(verifier).string(id).u32(0x40000000).string("tcp").string("0.0.0.0.0.0").u32(callbackIdent);
    return this;
  }

  /**
   * EXCHANGE_ID (4.1): {@code ownerId} plays SETCLIENTID's id string (the same across a server change
   * for a reclaim to be recognised), {@code verifier} the client instance. No flags, no state
   * protection (SP4_NONE), no implementation id.
   */
  public Compound exchangeId(byte[] verifier, String ownerId) {
    op(OP_EXCHANGE_ID).fixed(verifier).opaque(ownerId.getBytes(java.nio.charset.StandardCharsets.UTF_8)).u32(0).u32(0)
        .u32(0);
    return this;
  }

  /**
   * CREATE_SESSION (4.1) with one slot and no back channel (the client offers no callbacks, as
   * SETCLIENTID's "no callback" address does in 4.0); AUTH_NONE for the callback security it never uses.
   */
  public Compound createSession(long clientid, int sequenceid) {
    Xdr.Writer w = op(OP_CREATE_SESSION).u64(clientid).u32(sequenceid).u32(0);
    channelAttrs(w, 1);
    channelAttrs(w, 1);
    w.u32(0x40000000).u32(1).u32(0); // cb_program; callback_sec_parms4<> = {AUTH_NONE}
    return this;
  }

  /** channel_attrs4: header pad 0, 1 MiB requests and replies, 8 operations per COMPOUND, no RDMA. */
  private static void channelAttrs(Xdr.Writer w, int slots) {
    w.u32(0).u32(1 << 20).u32(1 << 20).u32(4096).u32(8).u32(slots).u32(0);
  }

  /** SEQUENCE (4.1), first in every COMPOUND of a session: slot 0, the only one, its next sequence id. */
  public Compound sequence(byte[] sessionid, int sequenceid) {
    op(OP_SEQUENCE).fixed(sessionid).u32(sequenceid).u32(0).u32(0).bool(false);
    return this;
  }

  /**
   * RECLAIM_COMPLETE (4.1) for every file system: "I reclaimed all I had". Ganesha ends grace early
   * once every client in its recovery records has sent it (with NLM off).
   */
  public Compound reclaimComplete() {
    op(OP_RECLAIM_COMPLETE).bool(false);
    return this;
  }

  public Compound destroySession(byte[] sessionid) {
    op(OP_DESTROY_SESSION).fixed(sessionid);
    return this;
  }

  public Compound setClientIdConfirm(long clientid, byte[] confirm) {
    op(OP_SETCLIENTID_CONFIRM).u64(clientid).fixed(confirm);
    return this;
  }

  public Compound renew(long clientid) {
    op(OP_RENEW).u64(clientid);
    return this;
  }

  public Compound putRootFh() {
    op(OP_PUTROOTFH);
    return this;
  }

  public Compound putFh(byte[] fh) {
    op(OP_PUTFH).opaque(fh);
    return this;
  }

  public Compound lookup(String name) {
    op(OP_LOOKUP).string(name);
    return this;
  }

  public Compound getFh() {
    op(OP_GETFH);
    return this;
  }

  public Compound getAttr(int... attrs) {
    long word0 = 0;
    for (int a : attrs) {
      if (a >= 32) {
        throw new IllegalArgumentException("only word-0 attributes are supported: " + a);
      }
      word0 |= 1L << a;
    }
    op(OP_GETATTR).u32(1).u32(word0);
    return this;
  }

  /** OPEN, CLAIM_NULL by name in the current directory; with {@code create}, CREATE UNCHECKED4 mode 0644. */
  public Compound openByName(int seqid, int shareAccess, long clientid, byte[] owner, boolean create, String name) {
    Xdr.Writer w = openHead(seqid, shareAccess, clientid, owner);
    if (create) {
      // openflag4 OPEN4_CREATE, createhow4 UNCHECKED4, fattr4 {mode = 0644}
      w.u32(1).u32(0).u32(2).u32(0).u32(1L << (FATTR4_MODE - 32)).opaque(new Xdr.Writer().u32(0644).toBytes());
    } else {
      w.u32(0); // OPEN4_NOCREATE
    }
    w.u32(0).string(name); // CLAIM_NULL, component
    label(create ? "OPEN(CLAIM_NULL,CREATE)" : "OPEN(CLAIM_NULL)");
    return this;
  }

  /**
   * OPEN with CLAIM_PREVIOUS on the current file handle: "I held this file open before the server
   * lost its state"; delegate_type OPEN_DELEGATE_NONE (the client held no delegation).
   */
  public Compound openReclaim(int seqid, int shareAccess, long clientid, byte[] owner) {
    openHead(seqid, shareAccess, clientid, owner).u32(0).u32(1).u32(0);
    label("OPEN(CLAIM_PREVIOUS)");
    return this;
  }

  private Xdr.Writer openHead(int seqid, int shareAccess, long clientid, byte[] owner) {
    return op(OP_OPEN).u32(seqid).u32(shareAccess).u32(0 /* deny none */).u64(clientid).opaque(owner);
  }

  public Compound openConfirm(Stateid stateid, int seqid) {
    Xdr.Writer w = op(OP_OPEN_CONFIRM);
    stateid.encode(w);
    w.u32(seqid);
    return this;
  }

  public Compound read(Stateid stateid, long offset, int count) {
    Xdr.Writer w = op(OP_READ);
    stateid.encode(w);
    w.u64(offset).u32(count);
    return this;
  }

  /** WRITE with FILE_SYNC4: on stable storage (both gluster bricks) when the reply comes. */
  public Compound write(Stateid stateid, long offset, byte[] data) {
    Xdr.Writer w = op(OP_WRITE);
    stateid.encode(w);
    w.u64(offset).u32(2).opaque(data);
    return this;
  }

  public Compound commit(long offset, int count) {
    op(OP_COMMIT).u64(offset).u32(count);
    return this;
  }

  public Compound close(int seqid, Stateid stateid) {
    Xdr.Writer w = op(OP_CLOSE).u32(seqid);
    stateid.encode(w);
    return this;
  }

  /** COMPOUND4args: tag, minorversion, the operations. */
  public byte[] encode() {
    return new Xdr.Writer().string(tag).u32(minorVersion).u32(ops.size()).raw(args.toBytes()).toBytes();
  }

  /** Decodes COMPOUND4res (the result bytes of an accepted RPC reply). */
  public static Result decode(byte[] bytes) {
    Xdr.Reader r = new Xdr.Reader(bytes);
    int status = r.i32();
    String tag = r.string(NFS4_OPAQUE_LIMIT);
    long n = r.u32();
    if (n > 100) {
      throw new Xdr.XdrException("implausible result count " + n);
    }
    List<OpResult> results = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int op = r.i32();
      int st = r.i32();
      Object value = null;
      if (st == 0) {
        value = decodeOk(op, r);
      } else if (op == OP_SETCLIENTID && st == Nfs4Status.NFS4ERR_CLID_INUSE.code()) {
        value = r.string(NFS4_OPAQUE_LIMIT) + " " + r.string(NFS4_OPAQUE_LIMIT);
      }
      results.add(new OpResult(op, st, value));
    }
    if (r.remaining() != 0) {
      throw new Xdr.XdrException(r.remaining() + " bytes left after the last result");
    }
    return new Result(status, tag, List.copyOf(results));
  }

  private static Object decodeOk(int op, Xdr.Reader r) {
    switch (op) {
      case OP_SETCLIENTID:
        return new SetClientIdOk(r.u64(), r.fixed(8));
      case OP_SETCLIENTID_CONFIRM, OP_RENEW, OP_PUTFH, OP_PUTROOTFH, OP_LOOKUP, OP_RECLAIM_COMPLETE,
          OP_DESTROY_SESSION:
        return null;
      case OP_EXCHANGE_ID: {
        long clientid = r.u64();
        int seq = r.i32();
        int flags = r.i32();
        if (r.i32() != 0) { // state_protect4_r: the client asked for SP4_NONE
          throw new Xdr.XdrException("EXCHANGE_ID: state protection the client did not ask for");
        }
        r.u64(); // server_owner4: minor id, major id
        r.opaque(NFS4_OPAQUE_LIMIT);
        r.opaque(NFS4_OPAQUE_LIMIT); // server scope
        long impls = r.u32();
        for (long i = 0; i < impls; i++) { // nfs_impl_id4: domain, name, date
          r.string(NFS4_OPAQUE_LIMIT);
          r.string(NFS4_OPAQUE_LIMIT);
          r.u64();
          r.u32();
        }
        return new ExchangeIdOk(clientid, seq, flags);
      }
      case OP_CREATE_SESSION: {
        byte[] sid = r.fixed(16);
        int seq = r.i32();
        r.u32(); // flags
        int[] fore = channelAttrs(r);
        channelAttrs(r);
        return new SessionOk(sid, seq, fore[5]);
      }
      case OP_SEQUENCE: {
        r.fixed(16);
        int seq = r.i32();
        int slot = r.i32();
        r.u32(); // highest slot id
        r.u32(); // target highest slot id
        return new SequenceOk(seq, slot, r.i32());
      }
      case OP_GETFH:
        return r.opaque(NFS4_FHSIZE);
      case OP_GETATTR:
        return decodeAttrs(r);
      case OP_OPEN: {
        Stateid sid = Stateid.decode(r);
        r.bool(); // change_info4: atomic, before, after
        r.u64();
        r.u64();
        int rflags = r.i32();
        long words = r.u32(); // attrset
        for (long i = 0; i < words; i++) {
          r.u32();
        }
        int deleg = r.i32();
        if (deleg == 1 || deleg == 2) {
          Stateid.decode(r);
          r.bool(); // recall
          if (deleg == 2) {
            int limitBy = r.i32();
            if (limitBy == 1) {
              r.u64();
            } else {
              r.u32();
              r.u32();
            }
          }
          r.u32(); // nfsace4: type, flag, access_mask, who
          r.u32();
          r.u32();
          r.string(NFS4_OPAQUE_LIMIT);
        } else if (deleg != 0) {
          throw new Xdr.XdrException("unknown delegation type " + deleg);
        }
        return new OpenOk(sid, rflags, deleg);
      }
      case OP_OPEN_CONFIRM, OP_CLOSE:
        return Stateid.decode(r);
      case OP_READ:
        return new ReadOk(r.bool(), r.opaque(MAX_DATA));
      case OP_WRITE:
        return new WriteOk(r.u32(), r.i32(), r.fixed(8));
      case OP_COMMIT:
        return r.fixed(8);
      default:
        throw new Xdr.XdrException("cannot decode the result of " + opName(op));
    }
  }

  /** channel_attrs4 as its six numbers (the RDMA ird, when present, is read and dropped). */
  private static int[] channelAttrs(Xdr.Reader r) {
    int[] a = new int[6];
    for (int i = 0; i < a.length; i++) {
      a[i] = r.i32();
    }
    long ird = r.u32();
    for (long i = 0; i < ird; i++) {
      r.u32();
    }
    return a;
  }

  /** fattr4: the mask, then the values in attribute-number order; only type, size and fileid known. */
  private static Attrs decodeAttrs(Xdr.Reader r) {
    long words = r.u32();
    long[] mask = new long[(int) Math.min(words, 8)];
    for (int i = 0; i < words; i++) {
      long w = r.u32();
      if (i < mask.length) {
        mask[i] = w;
      }
    }
    Xdr.Reader vals = new Xdr.Reader(r.opaque(NFS4_OPAQUE_LIMIT * 4));
    Integer type = null;
    Long size = null;
    Long fileid = null;
    long word0 = mask.length > 0 ? mask[0] : 0;
    for (int bit = 0; bit < 32; bit++) {
      if ((word0 & (1L << bit)) == 0) {
        continue;
      }
      switch (bit) {
        case FATTR4_TYPE -> type = vals.i32();
        case FATTR4_SIZE -> size = vals.u64();
        case FATTR4_FILEID -> fileid = vals.u64();
        default -> throw new Xdr.XdrException("attribute " + bit + " returned but not understood");
      }
    }
    for (int i = 1; i < mask.length; i++) {
      if (mask[i] != 0) {
        throw new Xdr.XdrException("attributes of word " + i + " returned but not understood");
      }
    }
    return new Attrs(type, size, fileid);
  }
}
