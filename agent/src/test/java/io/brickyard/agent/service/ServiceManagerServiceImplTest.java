package io.brickyard.agent.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickyard.agent.AgentContext;
import io.brickyard.agent.op.Operation;
import io.brickyard.api.agent.v1.EnsureServiceRequest;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.RequestOptions;
import io.brickyard.api.agent.v1.ServiceState;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * EnsureService through its gRPC glue (status codes included) over a backend that records what
 * it was asked to do: units the node's management stands on are never stopped or disabled, and
 * units Brickyard does not manage are refused by name, before the backend is asked anything.
 */
class ServiceManagerServiceImplTest {
  private final List<String> asked = new CopyOnWriteArrayList<>();
  private final ServiceManagerServiceImpl svc = new ServiceManagerServiceImpl(new AgentContext(null,
      new ServiceBackend() {
        @Override
        public String name() {
          return "recording";
        }

        @Override
        public ServiceState status(String unit) {
          return ServiceState.newBuilder().setUnit(unit).build();
        }

        @Override
        public void ensure(Operation op, String unit, boolean running, boolean enabled, boolean restart) {
          asked.add(unit + " running=" + running + " enabled=" + enabled + " restart=" + restart);
        }
      }, AgentContext.Paths.system(), null));

  private Status call(String unit, boolean running, boolean enabled, boolean restart, boolean dryRun) {
    Status[] answer = {null};
    svc.ensureService(EnsureServiceRequest.newBuilder().setUnit(unit).setRunning(running).setEnabled(enabled)
        .setRestart(restart).setOptions(RequestOptions.newBuilder().setDryRun(dryRun)).build(),
        new StreamObserver<OperationResult>() {
          @Override
          public void onNext(OperationResult value) {
            answer[0] = Status.OK;
          }

          @Override
          public void onError(Throwable t) {
            answer[0] = Status.fromThrowable(t);
          }

          @Override
          public void onCompleted() {}
        });
    return answer[0];
  }

  @Test
  void firewalldAndDbusAreNeverStoppedOrDisabled() {
    for (boolean dry : new boolean[] {false, true}) {
      assertThat(call("firewalld", false, true, false, dry)).satisfies(s -> {
        assertThat(s.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(s.getDescription()).startsWith("refusing to stop firewalld: firewalld guards every port");
      });
      assertThat(call("firewalld", true, false, false, dry)).satisfies(s -> {
        assertThat(s.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(s.getDescription()).startsWith("refusing to disable firewalld");
      });
      assertThat(call("dbus", false, false, false, dry)).satisfies(s -> {
        assertThat(s.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(s.getDescription()).startsWith("refusing to stop dbus: dbus carries");
      });
      assertThat(call("dbus", true, false, false, dry).getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
      assertThat(call("dbus", true, true, true, dry)).satisfies(s -> {
        assertThat(s.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(s.getDescription()).startsWith("refusing to restart dbus");
      });
    }
    assertThat(asked).isEmpty();
  }

  @Test
  void unitsBrickyardDoesNotManageAreRefusedByName() {
    for (String unit : List.of("sshd", "ssh", "systemd-journald", "systemd-logind", "brickyard-agent",
        "firewalld.service", "dbus.socket", "../dbus", "")) {
      assertThat(call(unit, false, false, false, false)).as(unit).satisfies(s -> {
        assertThat(s.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(s.getDescription()).isEqualTo("unit '" + unit + "' is not managed by brickyard; allowed:"
            + " dbus, firewalld, glusterd, nfs-ganesha, rpcbind");
      });
    }
    assertThat(asked).isEmpty();
  }

  @Test
  void brickyardsOwnServicesTakeAnyStateAndFoundationsMayBeStarted() {
    assertThat(call("glusterd", false, false, false, false)).isEqualTo(Status.OK);
    assertThat(call("nfs-ganesha", true, true, true, false)).isEqualTo(Status.OK);
    assertThat(call("rpcbind", false, true, false, false)).isEqualTo(Status.OK);
    assertThat(call("firewalld", true, true, true, false)).isEqualTo(Status.OK);
    assertThat(call("dbus", true, true, false, false)).isEqualTo(Status.OK);
    assertThat(asked).containsExactly("glusterd running=false enabled=false restart=false",
        "nfs-ganesha running=true enabled=true restart=true", "rpcbind running=false enabled=true restart=false",
        "firewalld running=true enabled=true restart=true", "dbus running=true enabled=true restart=false");
  }
}
