package io.brickyard.common.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local admin socket: a real Unix socket, real gRPC calls, real file modes. */
class LocalSocketTest {
  @TempDir Path tmp;
  private final HealthStatusManager health = new HealthStatusManager();

  @BeforeEach
  void epoll() {
    assumeTrue(LocalSocket.available(), "netty epoll transport not available: " + LocalSocket.unavailableReason());
    health.setStatus("", ServingStatus.SERVING);
  }

  private LocalSocket.Listener listen(Path sock) throws IOException {
    return LocalSocket.listen(sock, List.of(health.getHealthService().bindService()));
  }

  private static ServingStatus check(Path sock) throws InterruptedException {
    OwnedChannel c = LocalSocket.connect(sock);
    try {
      return HealthGrpc.newBlockingStub(c.channel()).withDeadlineAfter(10, TimeUnit.SECONDS)
          .check(HealthCheckRequest.getDefaultInstance()).getStatus();
    } finally {
      c.close();
    }
  }

  @Test
  void servesCallsOnAnOwnerOnlySocketInAnOwnerOnlyDirectoryAndRemovesItOnClose() throws Exception {
    Path sock = tmp.resolve("run").resolve("coordinator.sock");
    try (LocalSocket.Listener l = listen(sock)) {
      assertThat(check(sock)).isEqualTo(ServingStatus.SERVING);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sock))).isEqualTo("rw-------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sock.getParent()))).isEqualTo("rwx------");
    }
    assertThat(sock).doesNotExist();
  }

  @Test
  void refusesADirectoryOthersMayEnter() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("shared"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    assertThatThrownBy(() -> listen(dir.resolve("c.sock")))
        .isInstanceOf(IOException.class)
        .hasMessage("admin socket directory " + dir + " may be entered by others (rwxr-xr-x); "
            + "use a directory only its owner can enter (chmod 700)");
    assertThat(dir.resolve("c.sock")).doesNotExist();
  }

  @Test
  void refusesAPathThatIsNotASocket() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("d"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path file = Files.writeString(dir.resolve("c.sock"), "precious");
    assertThatThrownBy(() -> listen(file)).isInstanceOf(IOException.class).hasMessage(file + " exists and is not a socket");
    assertThat(Files.readString(file)).isEqualTo("precious");
  }

  @Test
  void replacesAStaleSocketButNotALiveOne() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("d"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path sock = dir.resolve("c.sock");
    // A process that died leaves its socket file behind: bound, then closed without unlinking.
    try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      dead.bind(UnixDomainSocketAddress.of(sock));
    }
    assertThat(sock).exists();
    try (LocalSocket.Listener l = listen(sock)) {
      assertThat(check(sock)).isEqualTo(ServingStatus.SERVING);
      assertThatThrownBy(() -> listen(sock)).isInstanceOf(IOException.class)
          .hasMessage("another process is already serving " + sock);
      assertThat(check(sock)).as("the first listener still serves").isEqualTo(ServingStatus.SERVING);
    }
  }
}
