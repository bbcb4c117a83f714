package io.brickyard.cli.nfs4;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;

/**
 * Exchanges captured from nfs-ganesha in the lab ({@code fixtures/<dir>}, README there): the request
 * record our client sent ({@code <name>.req.bin}) and ganesha's reply ({@code <name>.rep.bin}), as the
 * wire tests read and rebuild them.
 */
final class Captures {
  /** The COMPOUND arguments inside a captured request record, after the RPC call header. */
  record Call(int xid, byte[] credential, byte[] args) {}

  private final String dir;
  private final int minorVersion;

  Captures(String dir, int minorVersion) {
    this.dir = dir;
    this.minorVersion = minorVersion;
  }

  byte[] fixture(String name) throws Exception {
    try (InputStream in = Captures.class.getResourceAsStream("/fixtures/" + dir + "/" + name)) {
      assertThat(in).as(dir + "/" + name).isNotNull();
      return in.readAllBytes();
    }
  }

  Call call(String name) throws Exception {
    byte[] msg = RpcTcpTransport.readRecord(new ByteArrayInputStream(fixture(name + ".req.bin")), null);
    Xdr.Reader r = new Xdr.Reader(msg);
    int xid = r.i32();
    assertThat(r.i32()).as("CALL").isZero();
    assertThat(r.i32()).as("RPC version").isEqualTo(2);
    assertThat(r.i32()).isEqualTo(RpcTcpTransport.NFS_PROGRAM);
    assertThat(r.i32()).isEqualTo(4);
    assertThat(r.i32()).as("COMPOUND").isEqualTo(1);
    int flavor = r.i32();
    byte[] cred = r.opaque(400);
    assertThat(r.i32()).as("verifier AUTH_NONE").isZero();
    assertThat(r.opaque(400)).isEmpty();
    byte[] full = new Xdr.Writer().u32(flavor).opaque(cred).toBytes();
    return new Call(xid, full, r.rest());
  }

  /** The captured COMPOUND arguments, positioned at the first operation's arguments (after its opcode). */
  Xdr.Reader args(String name, int firstOp) throws Exception {
    Xdr.Reader a = new Xdr.Reader(call(name).args());
    a.string(1024);
    assertThat(a.u32()).as("minor version").isEqualTo(minorVersion);
    a.u32();
    assertThat(a.i32()).isEqualTo(firstOp);
    return a;
  }

  Compound.Result reply(String name) throws Exception {
    byte[] rec = RpcTcpTransport.readRecord(new ByteArrayInputStream(fixture(name + ".rep.bin")), null);
    RpcTcpTransport.Reply rep = RpcTcpTransport.decodeReply(rec);
    assertThat(rep.xid()).as("reply xid = call xid").isEqualTo(call(name).xid());
    return Compound.decode(rep.result());
  }

  /**
   * Rebuilds the request record of {@code name} from a compound: AUTH_SYS with the client's machine name
   * {@code by-<client>}, uid 0, gid 0, as the lab tests' clients set it up; the xid is the captured one.
   */
  byte[] reencode(String name, String client, Compound c) throws Exception {
    return RpcTcpTransport.frame(RpcTcpTransport.encodeCall(call(name).xid(), RpcTcpTransport.NFS_PROGRAM, 4, 1,
        RpcTcpTransport.authSys("by-" + client, 0, 0), c.encode()));
  }
}
