package io.brickyard.cli.nfs4;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * ONC RPC version 2 (RFC 5531) over one TCP connection: record marking (a 4-byte mark per fragment,
 * high bit = last fragment, low 31 bits = length), CALL messages with AUTH_SYS credentials and an
 * AUTH_NONE verifier, one call at a time (the NFSv4.0 client never pipelines, so a reply must carry
 * the xid of the call just sent).
 *
 * <p>The transport does not retry: an I/O error or timeout is thrown as {@link IOException} and the
 * connection is closed, so that {@link Nfs4Client} decides (reconnect and resend is what a real client
 * does when a server address moves to another host: the old TCP connection dies with a reset from
 * the new holder, which has no such connection). A {@link Tap} sees the exact bytes on the wire, which
 * is how the unit tests' fixtures were captured from a real ganesha.
 */
public final class RpcTcpTransport implements AutoCloseable {
  public static final int NFS_PROGRAM = 100003;
  public static final int NFS_V4 = 4;
  private static final int LAST_FRAGMENT = 0x80000000;
  private static final int MAX_RECORD = 4 << 20;
  private static final AtomicInteger XIDS = new AtomicInteger((int) (System.nanoTime() & 0x3fffffff));

  /** Sees every exchange: the request record and the reply record, record marks included. */
  public interface Tap {
    void exchange(int proc, byte[] request, byte[] reply);
  }

  /** The RPC layer refused the call (denied, or accepted with a status other than SUCCESS). */
  public static final class RpcException extends IOException {
    public RpcException(String message) {
      super(message);
    }
  }

  /** A decoded RPC reply: its xid and, for an accepted successful call, the procedure's result bytes. */
  public record Reply(int xid, byte[] result) {}

  private final InetSocketAddress server;
  private final Duration timeout;
  private final byte[] credential;
  private volatile Tap tap;
  private Socket socket;

  public RpcTcpTransport(InetSocketAddress server, Duration timeout, String machineName, int uid, int gid) {
    this.server = server;
    this.timeout = timeout;
    this.credential = authSys(machineName, uid, gid);
  }

  public void tap(Tap t) {
    this.tap = t;
  }

  public InetSocketAddress server() {
    return server;
  }

  public synchronized boolean connected() {
    return socket != null;
  }

  /** Opens the connection if there is none. */
  public synchronized void connect() throws IOException {
    if (socket != null) {
      return;
    }
    Socket s = new Socket();
    try {
      s.setTcpNoDelay(true);
      s.setSoTimeout((int) timeout.toMillis());
      s.connect(server, (int) timeout.toMillis());
    } catch (IOException e) {
      s.close();
      throw e;
    }
    socket = s;
  }

  /** Sends one call and waits for its reply; on any I/O failure the connection is dropped. */
  public synchronized byte[] call(int proc, byte[] args) throws IOException {
    connect();
    int xid = XIDS.incrementAndGet();
    byte[] request = frame(encodeCall(xid, NFS_PROGRAM, NFS_V4, proc, credential, args));
    try {
      OutputStream out = socket.getOutputStream();
      out.write(request);
      out.flush();
      ByteArrayOutputStream raw = new ByteArrayOutputStream();
      byte[] record = readRecord(socket.getInputStream(), raw);
      Tap t = tap;
      if (t != null) {
        t.exchange(proc, request, raw.toByteArray());
      }
      Reply reply = decodeReply(record);
      if (reply.xid() != xid) {
        throw new IOException("reply xid " + Integer.toUnsignedString(reply.xid()) + " for call xid "
            + Integer.toUnsignedString(xid));
      }
      return reply.result();
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  @Override
  public synchronized void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing a dead connection
      }
      socket = null;
    }
  }

  /** AUTH_SYS (flavor 1) credential: stamp, machine name, uid, gid, no auxiliary gids. */
  static byte[] authSys(String machineName, int uid, int gid) {
    byte[] body = new Xdr.Writer().u32(0).string(machineName).u32(uid).u32(gid).u32(0).toBytes();
    return new Xdr.Writer().u32(1).opaque(body).toBytes();
  }

  static byte[] encodeCall(int xid, int prog, int vers, int proc, byte[] credential, byte[] args) {
    return new Xdr.Writer().u32(xid).u32(0 /* CALL */).u32(2 /* RPC version */).u32(prog).u32(vers).u32(proc)
        .raw(credential).u32(0 /* AUTH_NONE verifier */).u32(0).raw(args).toBytes();
  }

  /** One record as a single last fragment. */
  public static byte[] frame(byte[] message) {
    return new Xdr.Writer().u32((LAST_FRAGMENT | message.length) & 0xffffffffL).raw(message).toBytes();
  }

  /**
   * Reads one record (all its fragments); {@code raw}, if given, receives the bytes as read, marks
   * included.
   */
  public static byte[] readRecord(InputStream in, ByteArrayOutputStream raw) throws IOException {
    ByteArrayOutputStream record = new ByteArrayOutputStream();
    boolean last = false;
    while (!last) {
      byte[] mark = in.readNBytes(4);
      if (mark.length < 4) {
        throw new EOFException("connection closed by the server");
      }
      int m = ((mark[0] & 0xff) << 24) | ((mark[1] & 0xff) << 16) | ((mark[2] & 0xff) << 8) | (mark[3] & 0xff);
      last = (m & LAST_FRAGMENT) != 0;
      int len = m & ~LAST_FRAGMENT;
      if (record.size() + (long) len > MAX_RECORD) {
        throw new IOException("record longer than " + MAX_RECORD + " bytes");
      }
      byte[] frag = in.readNBytes(len);
      if (frag.length < len) {
        throw new EOFException("connection closed inside a fragment");
      }
      if (raw != null) {
        raw.writeBytes(mark);
        raw.writeBytes(frag);
      }
      record.writeBytes(frag);
    }
    return record.toByteArray();
  }

  /** Decodes an RPC reply message; anything but MSG_ACCEPTED + SUCCESS is an {@link RpcException}. */
  public static Reply decodeReply(byte[] record) throws RpcException {
    Xdr.Reader r = new Xdr.Reader(record);
    int xid = r.i32();
    int type = r.i32();
    if (type != 1) {
      throw new RpcException("not an RPC reply (message type " + type + ")");
    }
    int replyStat = r.i32();
    if (replyStat == 1) {
      int reject = r.i32();
      throw new RpcException(reject == 0 ? "RPC_MISMATCH (versions " + r.u32() + "-" + r.u32() + ")"
          : "AUTH_ERROR " + r.i32());
    }
    if (replyStat != 0) {
      throw new RpcException("bad reply_stat " + replyStat);
    }
    r.i32(); // verifier flavor
    r.opaque(400);
    int accept = r.i32();
    switch (accept) {
      case 0:
        return new Reply(xid, r.rest());
      case 2:
        throw new RpcException("PROG_MISMATCH (versions " + r.u32() + "-" + r.u32() + ")");
      default:
        throw new RpcException(switch (accept) {
          case 1 -> "PROG_UNAVAIL";
          case 3 -> "PROC_UNAVAIL";
          case 4 -> "GARBAGE_ARGS";
          case 5 -> "SYSTEM_ERR";
          default -> "accept_stat " + accept;
        });
    }
  }
}
