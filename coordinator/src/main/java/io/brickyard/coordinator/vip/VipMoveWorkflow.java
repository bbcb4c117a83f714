package io.brickyard.coordinator.vip;

import io.brickyard.api.coordinator.v1.JournalEntry;
import io.brickyard.api.coordinator.v1.JournalRecord;
import io.brickyard.api.coordinator.v1.MoveVipRequest;
import io.brickyard.api.coordinator.v1.MoveVipResponse;
import io.brickyard.api.coordinator.v1.VipMove;
import io.brickyard.common.net.IpAddress;
import io.brickyard.coordinator.apply.ClusterLock;
import io.brickyard.coordinator.apply.Journal;
import io.brickyard.coordinator.spec.ClusterSpec;
import io.brickyard.coordinator.spec.NfsSpec;
import io.brickyard.coordinator.spec.SpecParser;
import io.brickyard.coordinator.spec.VipSpec;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code brickyard vip move}: checks the request against the spec before any node is asked (the
 * address is one of the spec's VIPs, the target serves NFS), takes the cluster lock so no apply
 * runs meanwhile, moves ({@link VipMover}) and journals the move with its timeline; {@code history}
 * shows it beside the applies.
 */
public final class VipMoveWorkflow {
  private static final Logger log = LoggerFactory.getLogger(VipMoveWorkflow.class);
  private final VipMover mover;
  private final Journal journal;
  private final ClusterLock lock;

  public VipMoveWorkflow(VipMover mover, Journal journal, ClusterLock lock) {
    this.mover = mover;
    this.journal = journal;
    this.lock = lock;
  }

  /** How a move request ended. */
  public sealed interface Outcome {
    /** Bad input: nothing was asked of any node. */
    record Invalid(String error) implements Outcome {}

    /** An apply or another move holds the lock. */
    record Busy(String error) implements Outcome {}

    /** The move ran (or its dry run did); {@code response.move.error} says if it failed. */
    record Done(MoveVipResponse response) implements Outcome {}
  }

  public Outcome move(MoveVipRequest req) {
    String source = req.getSourceName().isBlank() ? "spec" : req.getSourceName();
    SpecParser.Result r = SpecParser.analyze(req.getSpecYaml(), source);
    if (!r.ok()) {
      return new Outcome.Invalid("the spec is invalid: " + r.errors().get(0));
    }
    ClusterSpec spec = r.spec().orElseThrow();
    Optional<NfsSpec> nfs = spec.nfs();
    if (nfs.isEmpty()) {
      return new Outcome.Invalid("the spec has no nfs section: there is no virtual IP to move");
    }
    if (!IpAddress.isLiteral(req.getAddress())) {
      return new Outcome.Invalid("address: '" + req.getAddress() + "' is not an IP address (no prefix: 10.0.0.100)");
    }
    Optional<VipSpec> vip = nfs.get().vips().stream().filter(v -> v.ip().equals(req.getAddress())).findFirst();
    if (vip.isEmpty()) {
      return new Outcome.Invalid("address: " + req.getAddress() + " is not a virtual IP of the spec (its VIPs: "
          + nfs.get().vips().stream().map(VipSpec::ip).toList() + ")");
    }
    if (!nfs.get().serves(req.getToNode())) {
      return new Outcome.Invalid("to: '" + req.getToNode() + "' is not an NFS node of the spec (NFS nodes: "
          + nfs.get().nodes() + ")");
    }
    String what = "vip move of " + req.getAddress() + " to " + req.getToNode();
    if (!lock.tryLock(what)) {
      return new Outcome.Busy("another operation (" + lock.holder() + ") is running on this coordinator; try again"
          + " when it ends");
    }
    try {
      Instant started = Instant.now();
      VipMove m = mover.move(spec, vip.get(), req.getToNode(), req.getDryRun());
      log.info("{}{}: {} in {} ms{}", req.getDryRun() ? "dry run of " : "", what, VipMover.describe(m),
          m.getElapsedMillis(), m.getError().isEmpty() ? "" : " FAILED: " + m.getError());
      MoveVipResponse.Builder out = MoveVipResponse.newBuilder().setMove(m);
      if (!req.getDryRun() && (m.getChanged() || !m.getError().isEmpty())) {
        out.setJournalId(journal(spec, source, started, m));
      }
      return new Outcome.Done(out.build());
    } finally {
      lock.unlock();
    }
  }

  /** Journals the move; "" when the journal cannot be written (the move stands). */
  private String journal(ClusterSpec spec, String source, Instant started, VipMove m) {
    JournalEntry e = JournalEntry.newBuilder().setId(Journal.id(started)).setStartedEpochMillis(started.toEpochMilli())
        .setElapsedMillis(m.getElapsedMillis()).setSpecSha256(spec.sha256()).setSourceName(source)
        .setSuccess(m.getError().isEmpty()).setChanged(m.getChanged() ? 1 : 0).setFailed(m.getError().isEmpty() ? 0 : 1)
        .setError(m.getError()).setKind(Journal.KIND_VIP_MOVE).setSummary(m.getAddress() + " " + VipMover.describe(m))
        .build();
    try {
      journal.write(JournalRecord.newBuilder().setEntry(e).setVipMove(m).build());
      return e.getId();
    } catch (IOException ex) {
      log.error("cannot write the journal entry of {}: {}", e.getSummary(), ex.getMessage());
      return "";
    }
  }
}
