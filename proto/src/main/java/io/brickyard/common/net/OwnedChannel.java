package io.brickyard.common.net;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import java.util.concurrent.TimeUnit;

/**
 * A client channel with its own event loop, closed together. Short-lived processes (the CLI) use
 * this instead of gRPC's shared loop: that loop's thread sits in epoll_wait (native code) when the
 * process exits, and the JVM's exit waits ~300 ms for threads in native code before it gives up
 * (seen in strace: 30 x 10 ms futex waits before exit_group), a third of a second on every command.
 */
public record OwnedChannel(ManagedChannel channel, EventLoopGroup loop) {
  /** Shuts the channel down (forcibly after 5 s), then its loop. */
  public void close() throws InterruptedException {
    channel.shutdown();
    if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
      channel.shutdownNow();
    }
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(2, TimeUnit.SECONDS);
  }
}
