package io.brickyard.agent.vip;

import io.brickyard.agent.facts.IpAddr;
import io.brickyard.agent.op.Operation;
import io.brickyard.api.agent.v1.EnsureVipAbsentRequest;
import io.brickyard.api.agent.v1.EnsureVipPresentRequest;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.common.exec.CommandRunner;
import java.util.ArrayList;
import java.util.List;

/**
 * The addresses on this node's link, as {@link VipOwnership} needs them: add one (with every check and
 * the duplicate address probe of {@link VipOps}), remove one, list the VIPs held. The real one runs
 * {@code ip} and {@code arping}; the ownership tests record calls with their times instead.
 */
interface VipLink {
  /** Adds it, running {@code beforeAdd} after the duplicate address probe, right before the address goes on. */
  OperationResult add(EnsureVipPresentRequest req, Runnable beforeAdd);

  OperationResult remove(String address);

  /** Addresses (no prefix) carrying the VIP label now. */
  List<String> held();

  static VipLink real(CommandRunner runner) {
    VipOps ops = new VipOps();
    return new VipLink() {
      @Override
      public OperationResult add(EnsureVipPresentRequest req, Runnable beforeAdd) {
        return ops.ensurePresent(new Operation(runner, false), req, beforeAdd);
      }

      @Override
      public OperationResult remove(String address) {
        return ops.ensureAbsent(new Operation(runner, false),
            EnsureVipAbsentRequest.newBuilder().setAddress(address).build());
      }

      @Override
      public List<String> held() {
        List<String> out = new ArrayList<>();
        for (IpAddr.Link l : IpAddr.links(new Operation(runner, false).readChecked(IpAddr.COMMAND).stdout())) {
          for (IpAddr.Addr a : l.addrs()) {
            if (a.ipv4() && VipLabel.marks(l, a)) {
              out.add(Ipv4.of(a).address());
            }
          }
        }
        return out;
      }
    };
  }
}
