package dev.ajr.server.app;

import dev.ajr.core.detect.Anomaly;
import dev.ajr.core.node.NodeEvidence;
import dev.ajr.core.progress.ProgressMonitor;
import dev.ajr.core.recovery.Decision;
import dev.ajr.core.store.RecoveryStore;
import dev.ajr.server.cluster.ReplicaRole;
import dev.ajr.server.store.SqlNodeStore;
import dev.ajr.server.store.SqlProgressMarks;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * What the leader of several replicas takes up once a second: the decisions any replica stored and
 * did not finish, the anomalies any replica stored (node evidence), and the progress lines that
 * reached followers (so the leader's hang detector does not call a job hung whose lines went
 * elsewhere). {@link #sweep} runs on the replica thread, {@link #elected} once on the election
 * thread before the first sweep.
 */
final class LeaderSweep implements ReplicaRole.LeaderDuties {

  static final int PAGE = 500;

  private final RecoveryStore store;
  private final SqlNodeStore nodeStore;
  private final SqlProgressMarks marks;
  private final ProgressMonitor progress;
  private final RecoveryRunner runner;
  private final Clock clock;
  private volatile long lastIsolated;
  private volatile Instant lastMarks = Instant.EPOCH;

  LeaderSweep(
      RecoveryStore store,
      SqlNodeStore nodeStore,
      SqlProgressMarks marks,
      ProgressMonitor progress,
      RecoveryRunner runner,
      Clock clock) {
    this.store = store;
    this.nodeStore = nodeStore;
    this.marks = marks;
    this.progress = progress;
    this.runner = runner;
    this.clock = clock;
  }

  /** Anomalies stored before the election were acted on by the previous leader. */
  @Override
  public void elected() {
    lastIsolated = nodeStore.lastAnomalyId();
    lastMarks = clock.instant().minusSeconds(60);
  }

  @Override
  public void sweep() {
    for (Decision d : store.unfinishedDecisions()) {
      runner.execute(d.id());
    }
    List<Anomaly> fresh;
    do {
      fresh = store.anomaliesAfter(lastIsolated, PAGE);
      for (Anomaly a : fresh) {
        lastIsolated = a.id();
        runner.isolate(NodeEvidence.of(a));
      }
    } while (fresh.size() == PAGE);
    for (SqlProgressMarks.Mark m : marks.since(lastMarks)) {
      progress.progressSeenElsewhere(m.jobId(), m.attemptIndex(), m.at());
      lastMarks = m.at();
    }
  }
}
