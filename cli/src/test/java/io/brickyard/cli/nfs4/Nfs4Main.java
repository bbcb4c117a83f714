package io.brickyard.cli.nfs4;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The client by hand, for looking at a server ({@code java -cp cli/target/test-classes:... 
 * io.brickyard.cli.nfs4.Nfs4Main [--capture DIR] SERVER cat|stat|put PATH [LOCALFILE]}): prints the
 * file (cat), its attributes (stat) or writes a local file to it (put), and every event on stderr.
 * {@code --capture DIR} saves the records exchanged (how the unit tests' fixtures were made).
 */
public final class Nfs4Main {
  private Nfs4Main() {}

  public static void main(String[] argv) throws Exception {
    List<String> args = new ArrayList<>(List.of(argv));
    Path capture = null;
    if (args.size() > 1 && args.get(0).equals("--capture")) {
      capture = Path.of(args.get(1));
      args = args.subList(2, args.size());
    }
    if (args.size() < 3) {
      System.err.println("usage: Nfs4Main [--capture DIR] SERVER cat|stat|put PATH [LOCALFILE]");
      System.exit(2);
    }
    String server = args.get(0);
    String cmd = args.get(1);
    String path = args.get(2);
    RpcTcpTransport t = new RpcTcpTransport(new InetSocketAddress(server, 2049), Duration.ofSeconds(5), "nfs4main", 0, 0);
    Nfs4Client c = new Nfs4Client(t, Nfs4Client.linuxStyleId("0.0.0.0", server), Duration.ofSeconds(30));
    int rc = 0;
    try (c) {
      if (capture != null) {
        c.capture(capture);
      }
      switch (cmd) {
        case "stat" -> System.out.println(c.stat(path));
        case "cat" -> {
          c.establishClientId();
          Nfs4Client.OpenFile f = c.open(path, Compound.SHARE_ACCESS_READ, false);
          OutputStream out = System.out;
          long off = 0;
          for (byte[] b = c.read(f, off, 65536); b.length > 0; b = c.read(f, off, 65536)) {
            out.write(b);
            off += b.length;
          }
          out.flush();
          c.close(f);
        }
        case "put" -> {
          byte[] data = Files.readAllBytes(Path.of(args.get(3)));
          c.establishClientId();
          Nfs4Client.OpenFile f = c.open(path, Compound.SHARE_ACCESS_BOTH, true);
          for (int off = 0; off < data.length; off += 65536) {
            byte[] chunk = java.util.Arrays.copyOfRange(data, off, Math.min(data.length, off + 65536));
            c.write(f, off, chunk);
          }
          c.close(f);
        }
        default -> {
          System.err.println("unknown command " + cmd);
          rc = 2;
        }
      }
    } catch (Nfs4Client.Nfs4Exception e) {
      System.err.println(e.getMessage());
      rc = 1;
    } finally {
      c.events().forEach(System.err::println);
    }
    System.exit(rc);
  }
}
