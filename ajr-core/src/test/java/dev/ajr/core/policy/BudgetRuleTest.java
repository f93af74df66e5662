package dev.ajr.core.policy;

import static dev.ajr.core.testing.Fixtures.anomaly;
import static dev.ajr.core.testing.Fixtures.job;
import static dev.ajr.core.testing.Fixtures.requeue;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.core.detect.Anomaly;
import dev.ajr.core.detect.Cause;
import dev.ajr.core.job.Attempt;
import dev.ajr.core.job.AttemptState;
import dev.ajr.core.job.JobStatus;
import dev.ajr.core.job.RequeueLimits;
import dev.ajr.core.progress.AttemptProgress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Each budget rule on its own: when it answers, what it answers, and when it lets a restart be. */
class BudgetRuleTest {

  private static final long JOB = 42;
  private static final Instant NOW = Instant.parse("2026-02-01T12:00:00Z");
  private static final RequeueLimits LIMITS = new RequeueLimits(3, 10);

  /**
   * Builds one situation: earlier runs, the failed attempt's anomaly, the cluster, the settings.
   */
  private static final class Situation {
    private final List<JobHistory.Run> earlier = new ArrayList<>();
    private Cause cause = Cause.CRASH_SEGFAULT;
    private boolean charged = true;
    private Duration failedRan = Duration.ofHours(2);
    private int clusterRestarts;
    private PolicySettings settings = PolicySettings.DEFAULTS;
    private int allowed = 10;

    /**
     * {@code n} earlier runs of {@code cause}, two hours each, restarted by ajr when they ended.
     */
    Situation after(int n, Cause runCause, boolean chargedRuns) {
      for (int i = 0; i < n; i++) {
        int index = earlier.size();
        Instant start = NOW.minus(Duration.ofDays(1)).plus(Duration.ofHours(3L * index));
        Instant end = start.plus(Duration.ofHours(2));
        earlier.add(
            new JobHistory.Run(
                JOB, index, start, end, AttemptProgress.none(index), end, runCause, chargedRuns));
      }
      return this;
    }

    /** Every earlier run so far lasted a minute and was restarted {@code minutesAgo} ago. */
    Situation shortAndRecent(long minutesAgo) {
      earlier.replaceAll(r ->
          new JobHistory.Run(
              r.jobId(),
              r.attemptIndex(),
              r.startTime(),
              r.startTime().plus(Duration.ofMinutes(1)),
              r.progress(),
              NOW.minus(Duration.ofMinutes(minutesAgo)),
              r.cause(),
              r.charged()));
      return this;
    }

    /** The first earlier run saved a checkpoint. */
    Situation firstSavedACheckpoint() {
      JobHistory.Run r = earlier.get(0);
      earlier.set(
          0,
          new JobHistory.Run(
              r.jobId(),
              r.attemptIndex(),
              r.startTime(),
              r.endTime(),
              new AttemptProgress(r.attemptIndex(), 1, 100, 100),
              r.restartedAt(),
              r.cause(),
              r.charged()));
      return this;
    }

    Situation failedBy(Cause value, boolean chargedFailure) {
      cause = value;
      charged = chargedFailure;
      return this;
    }

    Situation failedAfter(Duration ran) {
      failedRan = ran;
      return this;
    }

    Situation cluster(int restarts) {
      clusterRestarts = restarts;
      return this;
    }

    Situation allowed(int value) {
      allowed = value;
      return this;
    }

    Situation settings(PolicySettings value) {
      settings = value;
      return this;
    }

    Optional<DecisionPlan> check(BudgetRule rule) {
      int index = earlier.size();
      Anomaly a = anomaly(JOB, index, cause);
      Anomaly failure =
          new Anomaly(
              a.id(),
              a.jobId(),
              a.attemptIndex(),
              a.type(),
              a.cause(),
              charged ? a.ruleId() : "slurm.preempted",
              a.action(),
              a.line(),
              a.source(),
              a.lineNumber(),
              a.node(),
              a.lineWrittenAt(),
              a.lineReadAt(),
              a.detectedAt(),
              a.evidence(),
              charged);
      Attempt attempt =
          new Attempt(
              JOB,
              index,
              AttemptState.RUNNING,
              List.of("node1"),
              NOW.minus(failedRan),
              null,
              null,
              "");
      PolicyInput in =
          new PolicyInput(
              job(JOB, requeue(allowed), JobStatus.RUNNING),
              attempt,
              true,
              failure,
              OptionalLong.empty(),
              LIMITS,
              new JobHistory(earlier, AttemptProgress.none(index)),
              NOW,
              clusterRestarts,
              settings);
      BudgetContext context =
          new BudgetContext(
              in,
              new BudgetHistory(in),
              allowed,
              "; max_requeue_times " + allowed + " from the job's directive",
              List.of("the anomaly"));
      return rule.check(context);
    }
  }

  private static Situation situation() {
    return new Situation();
  }

  private static PolicySettings allOff() {
    return new PolicySettings(0, true, 0, 0, Duration.ofMinutes(5), 0, 0, Duration.ofHours(1));
  }

  @Test
  void theRulesAreEvaluatedInTheOrderOfThePolicysList() {
    assertThat(BudgetRule.values())
        .containsExactly(
            BudgetRule.UNCHARGED_CAP,
            BudgetRule.TOTAL_BUDGET,
            BudgetRule.BUDGET_PER_CAUSE,
            BudgetRule.NO_NEW_CHECKPOINT,
            BudgetRule.EARLY_DEATHS,
            BudgetRule.JOB_RESTART_STORM,
            BudgetRule.CLUSTER_RESTART_STORM);
  }

  @Test
  void unchargedFailuresStopAtTheAdministratorsCapOnly() {
    Situation atCap = situation().after(10, Cause.SLURM_SCHEDULER, false);

    assertThat(atCap.failedBy(Cause.SLURM_SCHEDULER, false).check(BudgetRule.UNCHARGED_CAP))
        .hasValueSatisfying(plan -> {
          assertThat(plan).isInstanceOf(DecisionPlan.Stop.class);
          assertThat(plan.reasons())
              .containsExactly(
                  "the anomaly",
                  "no more requeues: restarted 10 times; the administrator's cap of 10 applies to"
                      + " preemption and node failure too");
          assertThat(plan.stopReason())
              .isEqualTo("stopped: restarted 10 times, the administrator's cap");
          assertThat(plan.actions()).containsExactly(PlannedAction.of(ActionKind.CANCEL, JOB));
        });
    assertThat(
            situation()
                .after(9, Cause.SLURM_SCHEDULER, false)
                .failedBy(Cause.SLURM_SCHEDULER, false)
                .check(BudgetRule.UNCHARGED_CAP))
        .isEmpty();
    assertThat(atCap.failedBy(Cause.CRASH_SEGFAULT, true).check(BudgetRule.UNCHARGED_CAP))
        .isEmpty();
  }

  @Test
  void theTotalBudgetStopsAChargedFailureOnceItIsUsed() {
    assertThat(
            situation()
                .after(3, Cause.CRASH_SEGFAULT, true)
                .allowed(3)
                .check(BudgetRule.TOTAL_BUDGET))
        .hasValueSatisfying(plan ->
            assertThat(plan.stopReason())
                .isEqualTo("stopped: the requeue limit of 3 is reached after CRASH in attempt 3"));
    assertThat(
            situation()
                .after(2, Cause.CRASH_SEGFAULT, true)
                .allowed(3)
                .check(BudgetRule.TOTAL_BUDGET))
        .isEmpty();
    assertThat(
            situation()
                .after(3, Cause.CRASH_SEGFAULT, true)
                .allowed(3)
                .failedBy(Cause.SLURM_SCHEDULER, false)
                .check(BudgetRule.TOTAL_BUDGET))
        .isEmpty();
  }

  @Test
  void theBudgetPerCauseCountsOnlyTheSameCause() {
    Situation cuda = situation().after(3, Cause.CUDA_ERROR, true);

    assertThat(cuda.failedBy(Cause.CUDA_ERROR, true).check(BudgetRule.BUDGET_PER_CAUSE))
        .hasValueSatisfying(plan ->
            assertThat(plan.stopReason())
                .isEqualTo(
                    "stopped: CUDA_ERROR again after 3 recoveries for it (at most 3 per cause)"));
    assertThat(cuda.failedBy(Cause.CRASH_SEGFAULT, true).check(BudgetRule.BUDGET_PER_CAUSE))
        .isEmpty();
    assertThat(
            cuda.failedBy(Cause.CUDA_ERROR, true)
                .settings(allOff())
                .check(BudgetRule.BUDGET_PER_CAUSE))
        .isEmpty();
  }

  @Test
  void aJobThatWritesCheckpointsStopsAfterAttemptsWithoutANewOne() {
    Situation stuck =
        situation()
            .after(3, Cause.NCCL_ERROR, true)
            .firstSavedACheckpoint()
            .failedBy(Cause.STORAGE_IO, true);

    assertThat(stuck.check(BudgetRule.NO_NEW_CHECKPOINT))
        .hasValueSatisfying(plan ->
            assertThat(plan.stopReason())
                .isEqualTo(
                    "stopped: 3 attempts in a row saved no checkpoint; a restart would not advance the job"));
    assertThat(situation().after(3, Cause.NCCL_ERROR, true).check(BudgetRule.NO_NEW_CHECKPOINT))
        .as("a job that never wrote a checkpoint")
        .isEmpty();
    assertThat(stuck.settings(allOff()).check(BudgetRule.NO_NEW_CHECKPOINT)).isEmpty();
  }

  @Test
  void earlyDeathsInARowStopTheJob() {
    Situation early = situation().after(2, Cause.CUDA_ERROR, true).shortAndRecent(600);

    assertThat(early.failedAfter(Duration.ofMinutes(2)).check(BudgetRule.EARLY_DEATHS))
        .hasValueSatisfying(plan ->
            assertThat(plan.stopReason())
                .isEqualTo(
                    "stopped: each of the last 3 attempts died within 5 minutes of starting"));
    assertThat(early.failedAfter(Duration.ofHours(1)).check(BudgetRule.EARLY_DEATHS)).isEmpty();
  }

  @Test
  void aJobRestartStormStopsTheJobWhateverTheCauses() {
    Situation storm =
        situation()
            .after(5, Cause.SLURM_SCHEDULER, false)
            .shortAndRecent(10)
            .failedBy(Cause.SLURM_SCHEDULER, false);

    assertThat(storm.check(BudgetRule.JOB_RESTART_STORM))
        .hasValueSatisfying(plan ->
            assertThat(plan.stopReason())
                .isEqualTo(
                    "stopped: ajr restarted this job 5 times within 1 hour, the most it does"));
    assertThat(
            situation().after(5, Cause.SLURM_SCHEDULER, false).check(BudgetRule.JOB_RESTART_STORM))
        .as("restarts a day ago")
        .isEmpty();
  }

  @Test
  void aClusterRestartStormLeavesTheJobAsSlurmLeftIt() {
    assertThat(situation().cluster(50).check(BudgetRule.CLUSTER_RESTART_STORM))
        .hasValueSatisfying(plan -> {
          assertThat(plan).isInstanceOf(DecisionPlan.NoAction.class);
          assertThat(plan.reasons().get(1))
              .isEqualTo(
                  "the cluster is in a restart storm: ajr restarted 50 jobs within 1 hour (at most"
                      + " 50); this job is not restarted and is left as Slurm left it; an operator"
                      + " should look at the cluster");
        });
    assertThat(situation().cluster(49).check(BudgetRule.CLUSTER_RESTART_STORM)).isEmpty();
    assertThat(situation().cluster(500).settings(allOff()).check(BudgetRule.CLUSTER_RESTART_STORM))
        .isEmpty();
  }
}
