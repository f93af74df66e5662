package dev.ajr.server.store;

import dev.ajr.core.detect.Anomaly;
import dev.ajr.core.detect.AnomalyType;
import dev.ajr.core.detect.Cause;
import dev.ajr.core.detect.Evidence;
import dev.ajr.core.detect.RecoveryAction;
import dev.ajr.core.job.Attempt;
import dev.ajr.core.job.AttemptState;
import dev.ajr.core.job.DirectiveResult;
import dev.ajr.core.job.Job;
import dev.ajr.core.job.JobStatus;
import dev.ajr.core.policy.ActionKind;
import dev.ajr.core.policy.Operation;
import dev.ajr.core.progress.ProgressEvent;
import dev.ajr.core.recovery.Action;
import dev.ajr.core.recovery.ActionState;
import dev.ajr.core.recovery.Decision;
import dev.ajr.core.recovery.DecisionState;
import java.time.Instant;
import java.util.List;

/**
 * The data of a recorded recovery, for the KPI tests: the installation guide's job 24 of alice (a
 * segfault, a requeue, a second segfault, the limit) with checkpoint lines, plus a GPU failure of
 * her job 25 on the same node.
 */
public final class KpiFixture {

  public static final Instant T0 = Instant.parse("2026-11-27T12:00:00Z");

  private final SqlRecoveryStore store;

  private KpiFixture(SqlRecoveryStore store) {
    this.store = store;
  }

  /** Seeds the data into a store on {@code db}. */
  public static void seed(Database db, SqlRecoveryStore store) {
    new KpiFixture(store).seed(db);
  }

  private void seed(Database db) {
    recovery(24, Cause.CRASH_SEGFAULT, "node1", 0, Operation.RESTART, 100, 300, 2_000);
    recovery(24, Cause.CRASH_SEGFAULT, "node1", 1, Operation.STOP, 150, 400, -1);
    recovery(25, Cause.GPU_HARDWARE, "node1", 0, Operation.RESTART, 200, 500, 3_000);
    store.saveJob(store.job(24).orElseThrow().withGpus(8));
    store.saveJob(store.job(25).orElseThrow().withGpus(4));
    // Job 24 saved a checkpoint 10 s before its fault and loaded it 5 s into attempt 1; job 25
    // printed no checkpoint lines.
    Instant fault = T0.plusSeconds(100L * 24);
    SqlProgressMarks marks = new SqlProgressMarks(db);
    marks.record(24, 0, checkpoint(ProgressEvent.Kind.CHECKPOINT_SAVED), fault.minusSeconds(30));
    marks.record(24, 0, checkpoint(ProgressEvent.Kind.CHECKPOINT_SAVED), fault.minusSeconds(10));
    marks.record(
        24, 1, checkpoint(ProgressEvent.Kind.CHECKPOINT_LOADED), fault.plusMillis(2_300 + 5_000));
  }

  private static ProgressEvent checkpoint(ProgressEvent.Kind kind) {
    return new ProgressEvent(kind, 100, Double.NaN, -1);
  }

  /**
   * Records one attempt's failure as ajr would: the attempt, its anomaly (line written at t,
   * detected detectMs later), the decision and its first action verified endMs after the line.
   */
  private void recovery(
      long jobId,
      Cause cause,
      String node,
      int attempt,
      Operation op,
      long detectMs,
      long endMs,
      long restartMs) {
    Instant t = T0.plusSeconds(100L * jobId + 60L * attempt);
    if (store.job(jobId).isEmpty()) {
      store.saveJob(
          new Job(
              jobId,
              "train",
              "alice",
              "debug",
              "/w",
              "/w/out",
              "",
              "",
              DirectiveResult.ABSENT,
              JobStatus.STOPPED,
              "",
              T0,
              T0));
    }
    store.saveAttempt(
        new Attempt(
            jobId,
            attempt,
            AttemptState.KILLED,
            List.of(node),
            store.attempts(jobId).stream() // keep the start recorded by the previous recovery
                .filter(x -> x.index() == attempt)
                .map(Attempt::startTime)
                .findFirst()
                .orElse(t.minusSeconds(30)),
            t.plusMillis(endMs),
            null,
            "killed"));
    if (restartMs >= 0) {
      store.saveAttempt(
          new Attempt(
              jobId,
              attempt + 1,
              AttemptState.COMPLETED,
              List.of(node),
              t.plusMillis(endMs + restartMs),
              t.plusMillis(endMs + restartMs + 30_000),
              0,
              ""));
    }
    Anomaly a =
        store
            .addAnomaly(
                new Anomaly(
                    0,
                    jobId,
                    attempt,
                    AnomalyType.CRASH,
                    cause,
                    "rule",
                    RecoveryAction.REQUEUE,
                    "line",
                    "/w/out",
                    attempt + 1,
                    node,
                    t,
                    t.plusMillis(detectMs),
                    t.plusMillis(detectMs),
                    Evidence.JOB_OUTPUT))
            .orElseThrow();
    ActionKind first = op == Operation.RESTART ? ActionKind.REQUEUE_HOLD : ActionKind.CANCEL;
    store.addDecision(
        new Decision(
            0,
            jobId,
            attempt,
            op,
            List.of("why"),
            a.id(),
            DecisionState.DONE,
            op == Operation.STOP,
            "",
            t.plusMillis(detectMs),
            t.plusMillis(endMs)),
        List.of(
            new Action(
                0,
                0,
                0,
                first,
                jobId,
                List.of(),
                ActionState.VERIFIED,
                1,
                "verified",
                t.plusMillis(detectMs),
                t.plusMillis(endMs))));
  }
}
