package io.brickyard.cli.lab;

import io.brickyard.cli.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code brickyard lab up|down|status|exec}: a real local cluster built from namespaces. */
@Command(name = "lab", description = "A real local GlusterFS cluster on this machine (root; see docs/lab.md).",
    subcommands = {LabCommand.Up.class, LabCommand.Down.class, LabCommand.Status.class, LabCommand.Exec.class})
public final class LabCommand {
  @Option(names = "--lab-dir", defaultValue = "${env:BRICKYARD_LAB_DIR:-/var/lib/brickyard-lab}",
      description = "Where the lab keeps disks, certificates and logs (default ${DEFAULT-VALUE}).", scope = picocli.CommandLine.ScopeType.INHERIT)
  Path labDir;

  @Command(name = "up", description = "Create N storage hosts and two client hosts, start services, agents and the coordinator.")
  static final class Up implements Callable<Integer> {
    @Spec CommandSpec spec;
    @ParentCommand LabCommand parent;

    @Option(names = "--nodes", defaultValue = "2", description = "Storage hosts (1-9, default ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--ha", description = "Also the 3-member ZooKeeper ensemble (gluster1, gluster2, this machine), "
        + "agents and coordinator with --zookeeper, and a standby coordinator (docs/ha.md).")
    boolean ha;

    @Override
    public Integer call() throws Exception {
      if (nodes < 1 || nodes > 9) {
        throw new LabException(ExitCodes.BAD_INPUT, "--nodes: expected 1 to 9, got " + nodes);
      }
      new Lab(parent.labDir, nodes, spec.commandLine().getOut()).ha(ha).up();
      return ExitCodes.OK;
    }
  }

  @Command(name = "down", description = "Stop every lab process, detach its loop devices, delete its namespaces and files.")
  static final class Down implements Callable<Integer> {
    @Spec CommandSpec spec;
    @ParentCommand LabCommand parent;

    @Override
    public Integer call() throws Exception {
      if (!"root".equals(System.getProperty("user.name"))) {
        throw new LabException(ExitCodes.BAD_INPUT, "lab down needs root");
      }
      new Lab(parent.labDir, Lab.nodesOf(parent.labDir, 0), spec.commandLine().getOut()).down();
      return ExitCodes.OK;
    }
  }

  @Command(name = "status", description = "Hosts, addresses, agent and coordinator processes.")
  static final class Status implements Callable<Integer> {
    @Spec CommandSpec spec;
    @ParentCommand LabCommand parent;

    @Override
    public Integer call() {
      var out = spec.commandLine().getOut();
      LabState st = LabState.load(LabLayout.of(parent.labDir, 0).stateFile());
      if (!st.exists()) {
        out.println("no lab (run 'brickyard lab up')");
        return ExitCodes.FAILURE;
      }
      LabLayout layout = LabLayout.of(parent.labDir, Integer.parseInt(st.get("nodes")));
      boolean ok = "true".equals(st.get("up"));
      for (LabHost h : layout.hosts()) {
        boolean ns = Files.exists(h.netNsPath());
        String agent = st.get("agent." + h.name());
        boolean alive = agent != null && ProcessHandle.of(Long.parseLong(agent)).map(ProcessHandle::isAlive).orElse(false);
        ok &= ns && (!h.storage() || alive);
        out.printf("%-9s %-12s netns %-7s %s%n", h.name(), h.ip(), ns ? "ok" : "MISSING",
            h.storage() ? "agent " + (alive ? "running pid " + agent : "NOT RUNNING") : "(client)");
      }
      String c = st.get("coordinator");
      boolean calive = c != null && ProcessHandle.of(Long.parseLong(c)).map(ProcessHandle::isAlive).orElse(false);
      out.printf("coordinator %s %s%n", LabLayout.COORDINATOR_LISTEN, calive ? "running pid " + c : "NOT RUNNING");
      String c2 = st.get("coordinator2");
      if (c2 != null) { // lab up --ha: the standby on its own host
        boolean alive2 = ProcessHandle.of(Long.parseLong(c2)).map(ProcessHandle::isAlive).orElse(false);
        out.printf("coordinator %s %s (%s, host %s)%n", LabStandby.listen(layout), alive2 ? "running pid " + c2 : "NOT RUNNING",
            LabStandby.ID, LabStandby.NAME);
      }
      return ok && calive ? ExitCodes.OK : ExitCodes.FAILURE;
    }
  }

  @Command(name = "exec", description = "Run a command inside a lab host: brickyard lab exec gluster2 -- gluster peer status")
  static final class Exec implements Callable<Integer> {
    @ParentCommand LabCommand parent;

    @Parameters(index = "0", description = "Host: gluster1..N, client, client2 or (with --ha) coord2.")
    String host;

    @Parameters(index = "1..*", arity = "1..*", description = "The command and its arguments.")
    List<String> command = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
      LabLayout layout = LabLayout.of(parent.labDir, Lab.nodesOf(parent.labDir, 0));
      LabHost h = LabStandby.NAME.equals(host) ? LabStandby.host(layout) : layout.host(host);
      if (h == null || !Files.exists(h.netNsPath())) {
        throw new LabException(ExitCodes.BAD_INPUT, "unknown lab host '" + host + "'; hosts: "
            + layout.hosts().stream().map(LabHost::name).toList() + (layout.nodes() == 0 ? " (no lab is up)" : ""));
      }
      Process p = new ProcessBuilder(Sys.in(h, command.toArray(String[]::new))).inheritIO().start();
      return p.waitFor();
    }
  }
}
