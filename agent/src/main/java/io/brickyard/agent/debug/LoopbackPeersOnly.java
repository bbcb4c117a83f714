package io.brickyard.agent.debug;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * The gate of the insecure debug mode, where there is no certificate to check: only peers on
 * loopback are served. The server already binds loopback only; this refuses anything else should
 * a listen address ever slip through (e.g. a forwarded or NATed connection keeps its source).
 */
public final class LoopbackPeersOnly implements ServerInterceptor {
  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    SocketAddress peer = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    if (peer instanceof InetSocketAddress inet && inet.getAddress() != null && inet.getAddress().isLoopbackAddress()) {
      return next.startCall(call, headers);
    }
    call.close(Status.PERMISSION_DENIED.withDescription(
        "insecure debug mode serves loopback peers only, not " + peer), new Metadata());
    return new ServerCall.Listener<>() {};
  }
}
