package dev.ajr.core.policy;

import static dev.ajr.core.testing.Fixtures.anomaly;
import static dev.ajr.core.testing.Fixtures.job;
import static dev.ajr.core.testing.Fixtures.requeue;
import static dev.ajr.core.testing.Fixtures.singleton;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.core.detect.Anomaly;
import dev.ajr.core.detect.Cause;
import dev.ajr.core.detect.RecoveryAction;
import dev.ajr.core.job.Attempt;
import dev.ajr.core.job.AttemptState;
import dev.ajr.core.job.DirectiveResult;
import dev.ajr.core.job.JobStatus;
import dev.ajr.core.job.RequeueLimits;
import dev.ajr.core.progress.AttemptProgress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The history-aware rules of the policy, as a table: budgets per cause, the budget starting again
 * on progress, the stop without a new checkpoint, the stop after early deaths, restart storms.
 */
class RecoveryPolicyHistoryTest {

  private static final long JOB = 42;
  private static final Instant NOW = Instant.parse("2026-02-01T12:00:00Z");
  private static final RequeueLimits LIMITS = new RequeueLimits(3, 10);
  private static final PolicySettings DEFAULTS = PolicySettings.DEFAULTS;

  private final RecoveryPolicy policy = new RecoveryPolicy();

  /**
   * An earlier attempt: started a day ago plus three hours per index, ran two hours, was restarted
   * by ajr when it ended because of a {@code cause} failure (charged unless SLURM_SCHEDULER, which
   * stands for preemption here), and showed no progress.
   */
  static JobHistory.Run run(int index, Cause cause) {
    Instant start = NOW.minus(Duration.ofDays(1)).plus(Duration.ofHours(3L * index));
    Instant end = start.plus(Duration.ofHours(2));
    return new JobHistory.Run(
        JOB,
        index,
        start,
        end,
        AttemptProgress.none(index),
        end,
        cause,
        cause != Cause.SLURM_SCHEDULER);
  }

  static JobHistory.Run crash(int index) {
    return run(index, Cause.CRASH_SEGFAULT);
  }

  static JobHistory.Run preempted(int index) {
    return run(index, Cause.SLURM_SCHEDULER);
  }

  /** The run, having saved checkpoint {@code iteration} (-1: a save that names none). */
  static JobHistory.Run saved(JobHistory.Run r, long iteration) {
    return with(r, new AttemptProgress(r.attemptIndex(), 1, iteration, iteration));
  }

  /** The run, having reached iteration {@code iteration} without a checkpoint line. */
  static JobHistory.Run reached(JobHistory.Run r, long iteration) {
    return with(r, new AttemptProgress(r.attemptIndex(), 0, -1, iteration));
  }

  static JobHistory.Run with(JobHistory.Run r, AttemptProgress p) {
    return new JobHistory.Run(
        r.jobId(),
        r.attemptIndex(),
        r.startTime(),
        r.endTime(),
        p,
        r.restartedAt(),
        r.cause(),
        r.charged());
  }

  /** The run, having died a minute after it started. */
  static JobHistory.Run shortLived(JobHistory.Run r) {
    return new JobHistory.Run(
        r.jobId(),
        r.attemptIndex(),
        r.startTime(),
        r.startTime().plus(Duration.ofMinutes(1)),
        r.progress(),
        r.restartedAt(),
        r.cause(),
        r.charged());
  }

  /** The run, restarted by ajr {@code minutes} before now. */
  static JobHistory.Run restartedAgo(JobHistory.Run r, long minutes) {
    return new JobHistory.Run(
        r.jobId(),
        r.attemptIndex(),
        r.startTime(),
        r.endTime(),
        r.progress(),
        NOW.minus(Duration.ofMinutes(minutes)),
        r.cause(),
        r.charged());
  }

  /** The run, ended without ajr restarting it (Slurm requeued it itself). */
  static JobHistory.Run notRestarted(JobHistory.Run r) {
    return new JobHistory.Run(
        r.jobId(), r.attemptIndex(), r.startTime(), r.endTime(), r.progress(), null, null, false);
  }

  /**
   * One row: the earlier runs, the failed attempt (its cause, progress, how long it ran), the
   * cluster's restarts in the window, the settings; and what the policy must answer.
   */
  record Row(
      String name,
      DirectiveResult directive,
      List<JobHistory.Run> earlier,
      Cause cause,
      AttemptProgress failedProgress,
      Duration failedRan,
      int clusterRestarts,
      PolicySettings settings,
      Operation operation,
      String reasonMentions,
      String stopReasonMentions) {

    @Override
    public String toString() {
      return name;
    }

    PolicyInput input() {
      int index = earlier.size();
      Attempt attempt =
          new Attempt(
              JOB, index, AttemptState.FAILED, List.of("node1"), NOW.minus(failedRan), NOW, 1, "");
      Anomaly a = anomaly(JOB, index, cause);
      if (cause == Cause.SLURM_SCHEDULER) {
        a = preemption(a);
      }
      return new PolicyInput(
          job(JOB, directive, JobStatus.RUNNING),
          attempt,
          true,
          a,
          OptionalLong.of(43),
          LIMITS,
          new JobHistory(earlier, failedProgress),
          NOW,
          clusterRestarts,
          settings);
    }
  }

  static Anomaly preemption(Anomaly a) {
    return new Anomaly(
        a.id(),
        a.jobId(),
        a.attemptIndex(),
        a.type(),
        a.cause(),
        "slurm.preempted",
        RecoveryAction.REQUEUE,
        "CANCELLED DUE TO PREEMPTION",
        a.source(),
        a.lineNumber(),
        a.node(),
        a.lineWrittenAt(),
        a.lineReadAt(),
        a.detectedAt(),
        a.evidence(),
        false);
  }

  /** Builds rows with the defaults: a CRASH_SEGFAULT after two hours, no progress, calm cluster. */
  static final class R {
    final String name;
    DirectiveResult directive = requeue(10);
    List<JobHistory.Run> earlier = new ArrayList<>();
    Cause cause = Cause.CRASH_SEGFAULT;
    AttemptProgress failed;
    Duration ran = Duration.ofHours(2);
    int cluster = 0;
    PolicySettings settings = DEFAULTS;

    R(String name, JobHistory.Run... runs) {
      this.name = name;
      this.earlier.addAll(List.of(runs));
      this.failed = AttemptProgress.none(runs.length);
    }

    R directive(DirectiveResult d) {
      directive = d;
      return this;
    }

    R cause(Cause c) {
      cause = c;
      return this;
    }

    R failedSaved(long iteration) {
      failed = new AttemptProgress(earlier.size(), 1, iteration, iteration);
      return this;
    }

    R failedReached(long iteration) {
      failed = new AttemptProgress(earlier.size(), 0, -1, iteration);
      return this;
    }

    R ran(Duration d) {
      ran = d;
      return this;
    }

    R cluster(int restarts) {
      cluster = restarts;
      return this;
    }

    R settings(UnaryOperator<PolicySettings> change) {
      settings = change.apply(settings);
      return this;
    }

    Row expect(Operation operation, String reasonMentions, String stopReasonMentions) {
      return new Row(
          name,
          directive,
          earlier,
          cause,
          failed,
          ran,
          cluster,
          settings,
          operation,
          reasonMentions,
          stopReasonMentions);
    }
  }

  static PolicySettings maxPerCause(PolicySettings s, int n) {
    return new PolicySettings(
        n,
        s.resetOnProgress(),
        s.stopWithoutCheckpoint(),
        s.earlyStopAttempts(),
        s.earlyStopWithin(),
        s.jobStormLimit(),
        s.clusterStormLimit(),
        s.stormWindow());
  }

  static PolicySettings noReset(PolicySettings s) {
    return new PolicySettings(
        s.maxPerCause(),
        false,
        s.stopWithoutCheckpoint(),
        s.earlyStopAttempts(),
        s.earlyStopWithin(),
        s.jobStormLimit(),
        s.clusterStormLimit(),
        s.stormWindow());
  }

  static PolicySettings allOff(PolicySettings s) {
    return new PolicySettings(
        0, s.resetOnProgress(), 0, 0, s.earlyStopWithin(), 0, 0, s.stormWindow());
  }

  static Stream<Row> table() {
    Cause cuda = Cause.CUDA_ERROR;
    return Stream.of(
        // 1. budgets per root cause
        new R("theFourthFailureOfOneCauseStops", run(0, cuda), run(1, cuda), run(2, cuda))
            .cause(cuda)
            .expect(
                Operation.STOP,
                "no more requeues for CUDA_ERROR: 3 recoveries for this cause already",
                "CUDA_ERROR again after 3 recoveries for it (at most 3 per cause)"),
        new R("anotherCauseStillRestarts", run(0, cuda), run(1, cuda), run(2, cuda))
            .expect(Operation.RESTART, "recovery 4 of 10", ""),
        new R("theRestartSaysHowManyOfTheCauseAreUsed", run(0, cuda))
            .cause(cuda)
            .expect(
                Operation.RESTART,
                "recovery 2 of 10; max_requeue_times 10 from the job's"
                    + " directive; 2 of at most 3 for CUDA_ERROR",
                ""),
        new R("aPerCauseLimitOfZeroIsOff", run(0, cuda), run(1, cuda), run(2, cuda))
            .cause(cuda)
            .settings(s -> maxPerCause(s, 0))
            .expect(Operation.RESTART, "recovery 4 of 10", ""),
        new R(
                "preemptionsAreNotCountedForTheirCause",
                preempted(0),
                preempted(1),
                preempted(2),
                preempted(3))
            .cause(Cause.SLURM_SCHEDULER)
            .expect(Operation.RESTART, "not charged", ""),
        // 2. the budget starts again on progress
        new R("aNewerCheckpointStartsTheBudgetAgain", saved(crash(0), 3000), crash(1))
            .directive(requeue(2))
            .failedSaved(4000)
            .expect(
                Operation.RESTART,
                "the budget started again: attempt 2 saved checkpoint 4000, beyond 3000 before"
                    + " (2 earlier recoveries no longer count)",
                ""),
        new R("withoutResetTheLimitStops", saved(crash(0), 3000), crash(1))
            .directive(requeue(2))
            .failedSaved(4000)
            .settings(RecoveryPolicyHistoryTest::noReset)
            .expect(Operation.STOP, "the limit of 2 is reached (2 used;", "requeue limit of 2"),
        new R("reSavingAnOlderCheckpointIsNoProgress", saved(crash(0), 3000), crash(1))
            .directive(requeue(2))
            .failedSaved(3000)
            .expect(Operation.STOP, "the limit of 2 is reached (2 used;", "requeue limit of 2"),
        new R("aSaveThatNamesNoIterationIsProgress", saved(crash(0), -1), crash(1))
            .directive(requeue(2))
            .failedSaved(-1)
            .expect(
                Operation.RESTART,
                "the budget started again: attempt 2 saved a new checkpoint",
                ""),
        new R(
                "countingStartsAtTheLastAttemptThatMadeProgress",
                saved(crash(0), 1000),
                saved(crash(1), 2000),
                crash(2))
            .directive(requeue(2))
            .expect(
                Operation.STOP,
                "the limit of 2 is reached (2 used since attempt 1 made progress;",
                "requeue limit of 2"),
        new R(
                "anEarlierResetLeavesRecoveriesAfterIt",
                saved(crash(0), 1000),
                saved(crash(1), 2000),
                crash(2))
            .directive(requeue(3))
            .expect(
                Operation.RESTART,
                "the budget started again: attempt 1 saved checkpoint 2000, beyond 1000 before (1"
                    + " earlier recovery no longer counts)",
                ""),
        new R(
                "aHigherIterationResetsAJobWithoutCheckpoints",
                reached(crash(0), 500),
                reached(crash(1), 400))
            .directive(requeue(2))
            .failedReached(900)
            .expect(
                Operation.RESTART,
                "the budget started again: attempt 2 reached iteration 900, beyond 500 before",
                ""),
        new R(
                "iterationsDoNotResetAJobThatWritesCheckpoints",
                saved(crash(0), 1000),
                reached(crash(1), 1500))
            .directive(requeue(2))
            .failedReached(2000)
            .expect(Operation.STOP, "the limit of 2 is reached", "requeue limit of 2"),
        new R("progressAlsoStartsThePerCauseBudgetAgain", run(0, cuda), run(1, cuda), run(2, cuda))
            .cause(cuda)
            .failedSaved(100)
            .expect(Operation.RESTART, "the budget started again", ""),
        // 3. no new checkpoint
        new R(
                "threeAttemptsWithoutANewCheckpointStop",
                saved(crash(0), 1000),
                run(1, Cause.NCCL_ERROR),
                run(2, cuda))
            .cause(Cause.STORAGE_IO)
            .expect(
                Operation.STOP,
                "3 attempts in a row saved no checkpoint; a restart would not advance the job"
                    + " (the last new checkpoint: attempt 0 saved checkpoint 1000)",
                "3 attempts in a row saved no checkpoint"),
        new R(
                "aJobThatNeverWroteACheckpointIsNotJudgedByCheckpoints",
                crash(0),
                run(1, Cause.NCCL_ERROR),
                run(2, cuda))
            .cause(Cause.STORAGE_IO)
            .expect(Operation.RESTART, "recovery 4 of 10", ""),
        new R(
                "aPreemptionWithoutCheckpointNeitherCountsNorBreaksTheRow",
                saved(crash(0), 1000),
                run(1, Cause.NCCL_ERROR),
                preempted(2),
                run(3, cuda))
            .cause(Cause.STORAGE_IO)
            .expect(Operation.STOP, "3 attempts in a row saved no checkpoint", ""),
        new R(
                "aPreemptedAttemptThatSavedACheckpointBreaksTheRow",
                saved(crash(0), 1000),
                run(1, Cause.NCCL_ERROR),
                saved(preempted(2), 2000),
                run(3, cuda))
            .cause(Cause.STORAGE_IO)
            .expect(Operation.RESTART, "recovery", ""),
        new R(
                "aPreemptionIsNotStoppedForLackOfCheckpoints",
                saved(crash(0), 1000),
                run(1, Cause.NCCL_ERROR),
                run(2, cuda))
            .cause(Cause.SLURM_SCHEDULER)
            .expect(Operation.RESTART, "not charged", ""),
        // 4. early deaths
        new R(
                "threeEarlyDeathsInARowStop",
                crash(0),
                shortLived(run(1, cuda)),
                shortLived(run(2, Cause.NCCL_ERROR)))
            .ran(Duration.ofMinutes(2))
            .expect(
                Operation.STOP,
                "each of the last 3 attempts died within 5 minutes of starting",
                "each of the last 3 attempts died within 5 minutes of starting"),
        new R(
                "aLongRunBreaksTheRowOfEarlyDeaths",
                shortLived(run(0, cuda)),
                run(1, Cause.NCCL_ERROR),
                shortLived(run(2, Cause.STORAGE_IO)))
            .ran(Duration.ofMinutes(2))
            .expect(Operation.RESTART, "recovery 4 of 10", ""),
        new R(
                "aFailedAttemptThatRanLongIsNoEarlyDeath",
                crash(0),
                shortLived(run(1, cuda)),
                shortLived(run(2, Cause.NCCL_ERROR)))
            .expect(Operation.RESTART, "recovery 4 of 10", ""),
        new R(
                "anEarlyPreemptionNeitherCountsNorBreaksTheRow",
                shortLived(run(0, cuda)),
                shortLived(preempted(1)),
                shortLived(run(2, Cause.NCCL_ERROR)))
            .ran(Duration.ofMinutes(2))
            .expect(Operation.STOP, "each of the last 3 attempts died within 5 minutes", ""),
        new R(
                "anAttemptAjrDidNotRestartNeitherCountsNorBreaksTheRow",
                shortLived(run(0, cuda)),
                notRestarted(shortLived(crash(1))),
                shortLived(run(2, Cause.NCCL_ERROR)))
            .ran(Duration.ofMinutes(2))
            .expect(Operation.STOP, "each of the last 3 attempts died within 5 minutes", ""),
        // 5. restart storms
        new R(
                "theSixthRestartWithinAnHourStopsTheJob",
                restartedAgo(preempted(0), 50),
                restartedAgo(preempted(1), 40),
                restartedAgo(preempted(2), 30),
                restartedAgo(preempted(3), 20),
                restartedAgo(preempted(4), 10))
            .cause(Cause.SLURM_SCHEDULER)
            .expect(
                Operation.STOP,
                "ajr restarted this job 5 times within 1 hour, the most it does; another restart"
                    + " would make a restart storm",
                "ajr restarted this job 5 times within 1 hour"),
        new R(
                "restartsBeforeTheWindowDoNotMakeAStorm",
                restartedAgo(preempted(0), 70),
                restartedAgo(preempted(1), 40),
                restartedAgo(preempted(2), 30),
                restartedAgo(preempted(3), 20),
                restartedAgo(preempted(4), 10))
            .cause(Cause.SLURM_SCHEDULER)
            .expect(Operation.RESTART, "not charged", ""),
        new R("aClusterInARestartStormRestartsNothing", crash(0))
            .cluster(50)
            .expect(
                Operation.NONE,
                "the cluster is in a restart storm: ajr restarted 50 jobs within 1 hour (at most"
                    + " 50); this job is not restarted and is left as Slurm left it; an operator"
                    + " should look",
                ""),
        new R("justBelowTheClusterLimitRestarts", crash(0))
            .cluster(49)
            .expect(Operation.RESTART, "recovery 2 of 10", ""),
        new R("aClusterStormDoesNotKeepAJobFromStopping")
            .cause(Cause.OOM_GPU)
            .cluster(500)
            .expect(Operation.STOP, "would happen again", "OOM_GPU"),
        new R("aSingletonChainInAStormReleasesNothing")
            .directive(singleton(3))
            .cluster(50)
            .expect(Operation.NONE, "restart storm", ""),
        new R(
                "everyRuleCanBeTurnedOff",
                restartedAgo(shortLived(saved(run(0, cuda), 5)), 50),
                restartedAgo(shortLived(run(1, cuda)), 40),
                restartedAgo(shortLived(run(2, cuda)), 30),
                restartedAgo(shortLived(run(3, cuda)), 20),
                restartedAgo(shortLived(run(4, cuda)), 10))
            .cause(cuda)
            .ran(Duration.ofMinutes(1))
            .cluster(1000)
            .settings(RecoveryPolicyHistoryTest::allOff)
            .expect(Operation.RESTART, "recovery 6 of 10", ""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void decides(Row row) {
    DecisionPlan plan = policy.decide(row.input());

    assertThat(plan.operation()).as("operation").isEqualTo(row.operation());
    assertThat(String.join(" | ", plan.reasons())).as("reasons").contains(row.reasonMentions());
    assertThat(plan.stopReason()).as("stopReason").contains(row.stopReasonMentions());
    assertThat(plan.stopsJob()).as("stopsJob").isEqualTo(row.operation() == Operation.STOP);
    if (row.operation() == Operation.NONE) {
      assertThat(plan.actions()).as("actions").isEmpty();
    }
  }

  @Test
  void aStopEndsTheAttemptWhenItStillRuns() {
    Row row =
        new R("early", shortLived(run(0, Cause.CUDA_ERROR)), shortLived(crash(1)))
            .ran(Duration.ofMinutes(1))
            .expect(Operation.STOP, "", "");
    PolicyInput in = row.input();
    Attempt running =
        new Attempt(
            JOB, 2, AttemptState.RUNNING, List.of("node1"), NOW.minusSeconds(60), null, null, "");
    DecisionPlan plan =
        policy.decide(
            new PolicyInput(
                in.job(),
                running,
                true,
                in.anomaly(),
                in.heldSuccessor(),
                in.limits(),
                in.history(),
                in.now(),
                0,
                DEFAULTS));

    assertThat(plan.operation()).isEqualTo(Operation.STOP);
    assertThat(plan.actions()).containsExactly(PlannedAction.of(ActionKind.CANCEL, JOB));
    assertThat(plan.reasons()).anySatisfy(r -> assertThat(r).contains("died within 5 minutes"));
  }

  @Test
  void anEarlierLinkOfASingletonChainIsNamedByItsJobId() {
    JobHistory.Run link =
        new JobHistory.Run(
            41,
            0,
            NOW.minus(Duration.ofDays(1)),
            NOW.minus(Duration.ofHours(20)),
            new AttemptProgress(0, 2, 3000, 3100),
            NOW.minus(Duration.ofHours(20)),
            Cause.CRASH_SEGFAULT,
            true);
    Row row = new R("chain", link).directive(singleton(1)).failedSaved(4000).expect(null, "", "");

    DecisionPlan plan = policy.decide(row.input());

    assertThat(plan.operation()).isEqualTo(Operation.RELEASE);
    assertThat(String.join(" | ", plan.reasons()))
        .contains("the budget started again: attempt 1 saved checkpoint 4000, beyond 3000 before")
        .contains("recovery 1 of 1");
  }

  @Test
  void durationsAreSaidInWords() {
    assertThat(RecoveryPolicy.words(Duration.ofMinutes(5))).isEqualTo("5 minutes");
    assertThat(RecoveryPolicy.words(Duration.ofHours(1))).isEqualTo("1 hour");
    assertThat(RecoveryPolicy.words(Duration.ofSeconds(90))).isEqualTo("90 seconds");
  }
}
