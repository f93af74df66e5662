package dev.ajr.core.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.core.detect.Anomaly;
import dev.ajr.core.detect.Cause;
import dev.ajr.core.job.Attempt;
import dev.ajr.core.job.AttemptState;
import dev.ajr.core.job.Job;
import dev.ajr.core.job.JobStatus;
import dev.ajr.core.policy.ActionKind;
import dev.ajr.core.policy.JobHistory;
import dev.ajr.core.policy.Operation;
import dev.ajr.core.progress.ProgressEvent;
import dev.ajr.core.testing.Fixtures;
import dev.ajr.core.testing.InMemoryRecoveryStore;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobHistoryReaderTest {

  private static final Instant T = Fixtures.T0.plusSeconds(3600);

  private final InMemoryRecoveryStore store = new InMemoryRecoveryStore();
  private final JobHistoryReader reader = new JobHistoryReader(store, List::of);

  /** An anomaly of the attempt, stored, charged or not. */
  private Anomaly stored(long jobId, int attempt, Cause cause, boolean charged, long line) {
    Anomaly a = Fixtures.anomaly(jobId, attempt, cause);
    return store
        .addAnomaly(
            new Anomaly(
                0,
                jobId,
                attempt,
                a.type(),
                cause,
                charged ? a.ruleId() : "slurm.preempted",
                a.action(),
                a.line(),
                a.source(),
                line,
                a.node(),
                a.lineWrittenAt(),
                a.lineReadAt(),
                a.detectedAt(),
                a.evidence(),
                charged))
        .orElseThrow();
  }

  /** A decision about the attempt, in the state, releasing or restarting {@code target}. */
  private void decided(
      Anomaly about, Operation operation, DecisionState state, ActionKind kind, long target) {
    store.addDecision(
        new Decision(
            0,
            about.jobId(),
            about.attemptIndex(),
            operation,
            List.of("why"),
            about.id(),
            state,
            false,
            "",
            T,
            T),
        List.of(new Action(0, 0, 0, kind, target, List.of(), ActionState.VERIFIED, 1, "", T, T)));
  }

  @Test
  void eachEarlierAttemptCarriesTheRestartAfterItItsCauseAndWhetherItWasCharged() {
    Job job = Fixtures.job(42, Fixtures.requeue(5), JobStatus.RUNNING);
    store.saveJob(job);
    List<Attempt> attempts =
        List.of(
            Fixtures.attempt(42, 0, AttemptState.REQUEUED),
            Fixtures.attempt(42, 1, AttemptState.REQUEUED),
            Fixtures.attempt(42, 2, AttemptState.REQUEUED),
            Fixtures.attempt(42, 3, AttemptState.RUNNING));
    attempts.forEach(store::saveAttempt);
    decided(
        stored(42, 0, Cause.CUDA_ERROR, true, 1),
        Operation.RESTART,
        DecisionState.DONE,
        ActionKind.RELEASE,
        42);
    decided(
        stored(42, 1, Cause.SLURM_SCHEDULER, false, 2),
        Operation.RESTART,
        DecisionState.DONE,
        ActionKind.RELEASE,
        42);
    decided(
        stored(42, 2, Cause.CRASH_SEGFAULT, true, 3),
        Operation.RESTART,
        DecisionState.FAILED,
        ActionKind.RELEASE,
        42);
    store.recordProgress(
        42, 1, new ProgressEvent(ProgressEvent.Kind.CHECKPOINT_SAVED, 500, Double.NaN, 0));

    JobHistory history = reader.history(job, attempts, attempts.get(3));

    assertThat(history.earlier())
        .extracting(
            JobHistory.Run::attemptIndex,
            JobHistory.Run::restarted,
            JobHistory.Run::cause,
            JobHistory.Run::charged)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(0, true, Cause.CUDA_ERROR, true),
            org.assertj.core.groups.Tuple.tuple(1, true, Cause.SLURM_SCHEDULER, false),
            org.assertj.core.groups.Tuple.tuple(2, false, null, false));
    assertThat(history.earlier().get(1).progress().highestCheckpoint()).isEqualTo(500);
    assertThat(history.failed().checkpointsSaved()).isZero();
  }

  @Test
  void aSingletonChainsEarlierJobsAreItsRunsOldestFirst() {
    Job first = Fixtures.job(40, Fixtures.singleton(3), JobStatus.COMPLETED);
    Job second = Fixtures.job(41, Fixtures.singleton(3), JobStatus.COMPLETED);
    Job third = Fixtures.job(42, Fixtures.singleton(3), JobStatus.RUNNING);
    for (Job j : List.of(first, second, third)) {
      store.saveJob(j);
      store.saveAttempt(
          Fixtures.attempt(j.jobId(), 0, j == third ? AttemptState.RUNNING : AttemptState.FAILED));
    }
    decided(
        stored(40, 0, Cause.SLURM_SCHEDULER, false, 1),
        Operation.RELEASE,
        DecisionState.DONE,
        ActionKind.RELEASE,
        41);
    decided(
        stored(41, 0, Cause.NCCL_ERROR, true, 1),
        Operation.RELEASE,
        DecisionState.DONE,
        ActionKind.RELEASE,
        42);

    JobHistory history = reader.history(third, store.attempts(42), store.attempts(42).get(0));

    assertThat(history.earlier())
        .extracting(JobHistory.Run::jobId, JobHistory.Run::cause, JobHistory.Run::charged)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(40L, Cause.SLURM_SCHEDULER, false),
            org.assertj.core.groups.Tuple.tuple(41L, Cause.NCCL_ERROR, true));
    assertThat(history.earlier()).allSatisfy(r -> assertThat(r.restartedAt()).isEqualTo(T));
  }
}
