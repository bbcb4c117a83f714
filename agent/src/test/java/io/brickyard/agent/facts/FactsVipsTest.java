package io.brickyard.agent.facts;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickyard.agent.AgentContext;
import io.brickyard.agent.Fixtures;
import io.brickyard.agent.op.Operation;
import io.brickyard.agent.service.ServiceBackend;
import io.brickyard.api.agent.v1.HeldVip;
import io.brickyard.api.agent.v1.NodeFacts;
import io.brickyard.api.agent.v1.ServiceState;
import io.brickyard.common.exec.CommandResult;
import io.brickyard.common.exec.CommandRunner;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** GetFacts on a node holding a VIP (captured ip -json addr): the VIP is reported apart. */
class FactsVipsTest {
  @Test
  void heldVipIsReportedApartFromTheNodesAddresses() {
    CommandRunner runner = c -> new CommandResult(c, 0,
        c.equals(IpAddr.COMMAND) ? Fixtures.read("ip/vip-held.json") : "", "", Duration.ZERO, false);
    ServiceBackend none = new ServiceBackend() {
      @Override
      public String name() {
        return "test";
      }

      @Override
      public ServiceState status(String unit) {
        return ServiceState.newBuilder().setUnit(unit).build();
      }

      @Override
      public void ensure(Operation op, String unit, boolean running, boolean enabled, boolean restart) {
        throw new UnsupportedOperationException();
      }
    };
    NodeFacts f = new FactsServiceImpl(new AgentContext(runner, none,
        new AgentContext.Paths(Path.of("/nonexistent/fstab"), Path.of("/nonexistent")), new SimpleMeterRegistry()))
        .facts();
    assertThat(f.getVirtualIpsList()).containsExactly(
        HeldVip.newBuilder().setAddress("10.231.9.100/24").setInterface("eth0").build());
    assertThat(f.getInterfacesList()).filteredOn(i -> i.getName().equals("eth0")).singleElement()
        .satisfies(i -> assertThat(i.getAddressesList()).contains("10.231.9.1/24", "10.231.9.51/24")
            .doesNotContain("10.231.9.100/24"));
  }
}
