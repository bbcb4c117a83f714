package io.brickyard.coordinator.server;

import io.brickyard.api.coordinator.v1.CoordinatorServiceGrpc;
import io.brickyard.api.coordinator.v1.ListNodesRequest;
import io.brickyard.api.coordinator.v1.ListNodesResponse;
import io.brickyard.coordinator.nodes.NodeAddress;
import io.brickyard.coordinator.nodes.NodeProbe;
import io.brickyard.coordinator.nodes.NodeRegistry;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;

/** The coordinator's API. Each RPC delegates to its capability package. */
public final class CoordinatorServiceImpl extends CoordinatorServiceGrpc.CoordinatorServiceImplBase {
  private final NodeRegistry registry;
  private final NodeProbe probe;

  public CoordinatorServiceImpl(NodeRegistry registry, NodeProbe probe) {
    this.registry = registry;
    this.probe = probe;
  }

  @Override
  public void listNodes(ListNodesRequest req, StreamObserver<ListNodesResponse> out) {
    List<NodeAddress> nodes = new ArrayList<>();
    if (req.getNamesCount() == 0) {
      nodes.addAll(registry.all());
    } else {
      for (String name : req.getNamesList()) {
        NodeAddress a = registry.get(name);
        if (a == null) {
          out.onError(Status.NOT_FOUND.withDescription("unknown node '" + name + "'; known: "
              + registry.all().stream().map(NodeAddress::name).toList()).asRuntimeException());
          return;
        }
        nodes.add(a);
      }
    }
    out.onNext(ListNodesResponse.newBuilder().addAllNodes(probe.probe(nodes)).build());
    out.onCompleted();
  }
}
