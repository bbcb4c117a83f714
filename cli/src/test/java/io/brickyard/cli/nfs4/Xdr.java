package io.brickyard.cli.nfs4;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * XDR (RFC 4506) as NFSv4 uses it: big-endian 4-byte units, 8-byte hypers, opaque data and strings
 * length-prefixed and padded with zeros to a multiple of 4, fixed-size opaques (verifiers, stateid
 * "other") without a length. Only the primitives the client needs; every value the decoder reads is
 * bounds-checked, so a short or garbled reply fails with {@link XdrException} instead of an index
 * error somewhere in the client.
 */
public final class Xdr {
  private Xdr() {}

  /** A reply that does not decode: too short, a length beyond the data, a bad boolean. */
  public static final class XdrException extends RuntimeException {
    XdrException(String message) {
      super(message);
    }
  }

  /** Encoder into a growing byte array. */
  public static final class Writer {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public Writer u32(long v) {
      out.write((int) (v >>> 24));
      out.write((int) (v >>> 16));
      out.write((int) (v >>> 8));
      out.write((int) v);
      return this;
    }

    public Writer u64(long v) {
      return u32(v >>> 32).u32(v & 0xffffffffL);
    }

    public Writer bool(boolean v) {
      return u32(v ? 1 : 0);
    }

    /** Fixed-length opaque: no length word, padded. */
    public Writer fixed(byte[] b) {
      out.writeBytes(b);
      pad(b.length);
      return this;
    }

    /** Variable-length opaque: length word, data, padding. */
    public Writer opaque(byte[] b) {
      u32(b.length);
      return fixed(b);
    }

    public Writer string(String s) {
      return opaque(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Raw bytes already in XDR form (an encoded argument). */
    public Writer raw(byte[] b) {
      out.writeBytes(b);
      return this;
    }

    private void pad(int len) {
      for (int i = len; i % 4 != 0; i++) {
        out.write(0);
      }
    }

    public byte[] toBytes() {
      return out.toByteArray();
    }
  }

  /** Decoder over one RPC reply body. */
  public static final class Reader {
    private final ByteBuffer buf;

    public Reader(byte[] data) {
      this.buf = ByteBuffer.wrap(data);
    }

    public int position() {
      return buf.position();
    }

    public int remaining() {
      return buf.remaining();
    }

    public long u32() {
      need(4);
      return buf.getInt() & 0xffffffffL;
    }

    /** A u32 that must fit an int (counts, enums, statuses). */
    public int i32() {
      need(4);
      return buf.getInt();
    }

    public long u64() {
      need(8);
      return buf.getLong();
    }

    public boolean bool() {
      int v = i32();
      if (v != 0 && v != 1) {
        throw new XdrException("bad XDR boolean " + v + " at " + (buf.position() - 4));
      }
      return v == 1;
    }

    public byte[] fixed(int len) {
      need(padded(len));
      byte[] b = new byte[len];
      buf.get(b);
      buf.position(buf.position() + padded(len) - len);
      return b;
    }

    public byte[] opaque(int max) {
      long len = u32();
      if (len > max) {
        throw new XdrException("opaque of " + len + " bytes exceeds its limit " + max + " at " + (buf.position() - 4));
      }
      return fixed((int) len);
    }

    public String string(int max) {
      return new String(opaque(max), StandardCharsets.UTF_8);
    }

    /** The bytes not read yet (the result of an accepted RPC reply). */
    public byte[] rest() {
      byte[] b = new byte[buf.remaining()];
      buf.get(b);
      return b;
    }

    private void need(int n) {
      if (buf.remaining() < n) {
        throw new XdrException("reply too short: need " + n + " bytes at " + buf.position() + ", have " + buf.remaining());
      }
    }

    private static int padded(int len) {
      return (len + 3) & ~3;
    }
  }
}
