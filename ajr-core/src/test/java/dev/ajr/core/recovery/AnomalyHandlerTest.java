package dev.ajr.core.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.core.detect.AnomalyType;
import dev.ajr.core.detect.Cause;
import dev.ajr.core.detect.Detection;
import dev.ajr.core.detect.Evidence;
import dev.ajr.core.detect.LineClassifier;
import dev.ajr.core.detect.LogLine;
import dev.ajr.core.detect.RecoveryAction;
import dev.ajr.core.event.AjrEvent;
import dev.ajr.core.job.AttemptState;
import dev.ajr.core.job.DirectiveResult;
import dev.ajr.core.job.JobStatus;
import dev.ajr.core.job.RequeueLimits;
import dev.ajr.core.policy.ActionKind;
import dev.ajr.core.policy.Operation;
import dev.ajr.core.policy.PolicySettings;
import dev.ajr.core.scheduler.SchedulerJob;
import dev.ajr.core.store.JobLocks;
import dev.ajr.core.testing.Fixtures;
import dev.ajr.core.testing.InMemoryRecoveryStore;
import dev.ajr.core.testing.MutableClock;
import dev.ajr.core.testing.SchedulerJobBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnomalyHandlerTest {

  /** Detects the guide's segfault line, as the crash rules of the catalog do. */
  private static final LineClassifier SEGFAULTS =
      line ->
          line.toLowerCase(java.util.Locale.ROOT).contains("segmentation fault")
              ? java.util.Optional.of(
                  new Detection(
                      "crash.segfault",
                      AnomalyType.CRASH,
                      Cause.CRASH_SEGFAULT,
                      RecoveryAction.REQUEUE,
                      null,
                      false,
                      true))
              : java.util.Optional.empty();

  private static final long JOB = 42;
  private static final String OUT = "/work/alice/train.out";

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:10:00Z"));
  private final InMemoryRecoveryStore store = new InMemoryRecoveryStore();
  private final List<AjrEvent> events = new ArrayList<>();
  private final List<Long> executed = new ArrayList<>();
  private List<SchedulerJob> snapshot = List.of();
  private final AnomalyHandler handler =
      handler(Fixtures.decisionSettings(new RequeueLimits(1, 3)));

  /** A handler of the segfault lines, on this test's store, snapshot, events and clock. */
  private AnomalyHandler handler(DecisionSettings settings) {
    return new AnomalyHandler(
        SEGFAULTS,
        store,
        () -> snapshot,
        events::add,
        new JobLocks(),
        clock,
        executed::add,
        settings);
  }

  private void runningJob(DirectiveResult directive) {
    store.saveJob(Fixtures.job(JOB, directive, JobStatus.RUNNING));
    store.saveAttempt(Fixtures.attempt(JOB, 0, AttemptState.RUNNING));
  }

  private LogLine line(String text, long number) {
    return new LogLine(
        text,
        OUT,
        number,
        clock.instant().minusSeconds(1),
        clock.instant(),
        false,
        Evidence.JOB_OUTPUT);
  }

  @Test
  void anAttemptStoresABoundedNumberOfMatchesOfOneRuleAndCountsTheRest() {
    runningJob(Fixtures.requeue(1));
    int printed = AnomalyHandler.MAX_STORED_PER_RULE + 500;

    for (int i = 1; i <= printed; i++) {
      handler.onLine(JOB, 0, "node1", line(Fixtures.SEGFAULT_LINE, i));
    }

    assertThat(store.anomalies(JOB)).hasSize(AnomalyHandler.MAX_STORED_PER_RULE);
    assertThat(handler.cappedMatches()).isEqualTo(500);
    assertThat(store.decisions(JOB)).hasSize(1);
    store.saveAttempt(Fixtures.attempt(JOB, 1, AttemptState.RUNNING));
    handler.onLine(JOB, 1, "node1", line(Fixtures.SEGFAULT_LINE, printed + 1));
    assertThat(store.anomalies(JOB)).hasSize(AnomalyHandler.MAX_STORED_PER_RULE + 1);
  }

  @Test
  void segfaultOfOptedInJobCreatesAnomalyDecisionAndRunsIt() {
    runningJob(Fixtures.requeue(1));

    handler.onLine(JOB, 0, "node1", line(Fixtures.SEGFAULT_LINE, 12));

    assertThat(store.anomalies(JOB))
        .singleElement()
        .satisfies(a -> {
          assertThat(a.type()).isEqualTo(AnomalyType.CRASH);
          assertThat(a.cause()).isEqualTo(Cause.CRASH_SEGFAULT);
          assertThat(a.ruleId()).isEqualTo("crash.segfault");
          assertThat(a.lineNumber()).isEqualTo(12);
          assertThat(a.node()).isEqualTo("node1");
          assertThat(a.detectedAt()).isEqualTo(clock.instant());
        });
    Decision decision = store.decisions(JOB).get(0);
    assertThat(store.decisions(JOB)).hasSize(1);
    assertThat(decision.operation()).isEqualTo(Operation.RESTART);
    assertThat(decision.state()).isEqualTo(DecisionState.PLANNED);
    assertThat(decision.anomalyId()).isEqualTo(store.anomalies(JOB).get(0).id());
    assertThat(store.actions(decision.id()))
        .extracting(Action::kind, Action::state)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(ActionKind.REQUEUE_HOLD, ActionState.PENDING),
            org.assertj.core.groups.Tuple.tuple(ActionKind.START_NOW, ActionState.PENDING),
            org.assertj.core.groups.Tuple.tuple(ActionKind.RELEASE, ActionState.PENDING));
    assertThat(executed).containsExactly(decision.id());
    assertThat(store.job(JOB).orElseThrow().status()).isEqualTo(JobStatus.RECOVERING);
    assertThat(events)
        .extracting(e -> e.getClass().getSimpleName())
        .containsExactly("AnomalyDetected", "DecisionMade", "JobStatusChanged");
  }

  @Test
  void sameLineReadTwiceIsOneAnomaly() {
    runningJob(Fixtures.requeue(1));

    handler.onLine(JOB, 0, "node1", line(Fixtures.SEGFAULT_LINE, 12));
    handler.onLine(JOB, 0, "node1", line(Fixtures.SEGFAULT_LINE, 12));

    assertThat(store.anomalies(JOB)).hasSize(1);
    assertThat(store.decisions(JOB)).hasSize(1);
    assertThat(executed).hasSize(1);
  }

  @Test
  void laterAnomalyOfSameAttemptIsRecordedWithoutSecondDecision() {
    runningJob(Fixtures.requeue(1));

    handler.onLine(JOB, 0, "node1", line(Fixtures.SEGFAULT_LINE, 12));
    handler.onLine(JOB, 0, "node1", line("Segmentation fault (core dumped)", 13));

    assertThat(store.anomalies(JOB)).hasSize(2);
    assertThat(store.decisions(JOB)).hasSize(1);
    assertThat(executed).hasSize(1);
  }

  @Test
  void ordinaryLineIsIgnored() {
    runningJob(Fixtures.requeue(1));

    handler.onLine(JOB, 0, "node1", line("step 100 loss: 0.53", 5));

    assertThat(store.anomalies(JOB)).isEmpty();
    assertThat(events).isEmpty();
    assertThat(executed).isEmpty();
  }

  @Test
  void jobWithoutDirectiveGetsNoneDecisionAndNothingRuns() {
    runningJob(DirectiveResult.ABSENT);

    handler.onLine(JOB, 0, "node1", line(Fixtures.SEGFAULT_LINE, 12));

    assertThat(store.anomalies(JOB)).hasSize(1);
    Decision decision = store.decisions(JOB).get(0);
    assertThat(decision.operation()).isEqualTo(Operation.NONE);
    assertThat(decision.state()).isEqualTo(DecisionState.DONE);
    assertThat(decision.finishedAt()).isEqualTo(clock.instant());
    assertThat(String.join(" ", decision.reasons())).contains("did not opt in");
    assertThat(store.actions(decision.id())).isEmpty();
    assertThat(executed).isEmpty();
    assertThat(store.job(JOB).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
  }

  @Test
  void countsEarlierRestartsAgainstTheLimit() {
    runningJob(Fixtures.requeue(1));
    handler.onLine(JOB, 0, "node1", line(Fixtures.SEGFAULT_LINE, 12));
    store.saveDecision(store.decisions(JOB).get(0).withState(DecisionState.DONE, clock.instant()));
    store.saveAttempt(Fixtures.attempt(JOB, 0, AttemptState.KILLED));
    store.saveAttempt(Fixtures.attempt(JOB, 1, AttemptState.RUNNING));

    handler.onLine(JOB, 1, "node2", line(Fixtures.SEGFAULT_LINE, 3));

    Decision second = store.decisionFor(JOB, 1).orElseThrow();
    assertThat(second.operation()).isEqualTo(Operation.STOP);
    assertThat(second.stopsJob()).isTrue();
    assertThat(store.actions(second.id()))
        .extracting(Action::kind)
        .containsExactly(ActionKind.CANCEL);
    assertThat(executed).hasSize(2);
  }

  @Test
  void singletonJobReleasesOldestHeldSuccessorOfSameNameAndOwner() {
    runningJob(Fixtures.singleton(2));
    snapshot =
        List.of(
            SchedulerJobBuilder.job(JOB).build(),
            SchedulerJobBuilder.job(50).state("PENDING").held(true).build(),
            SchedulerJobBuilder.job(44).state("PENDING").held(true).build(),
            SchedulerJobBuilder.job(43).state("PENDING").held(true).user("bob").build(),
            SchedulerJobBuilder.job(45).state("PENDING").held(false).build(),
            SchedulerJobBuilder.job(41).state("PENDING").held(true).build());

    handler.onLine(JOB, 0, "node1", line(Fixtures.SEGFAULT_LINE, 12));

    Decision decision = store.decisions(JOB).get(0);
    assertThat(decision.operation()).isEqualTo(Operation.RELEASE);
    assertThat(store.actions(decision.id()))
        .extracting(Action::kind, Action::targetJobId)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(ActionKind.CANCEL, JOB),
            org.assertj.core.groups.Tuple.tuple(ActionKind.RELEASE, 44L));
  }

  @Test
  void anAnomalyWhoseActionIsNoneIsRecordedWithoutADecision() {
    runningJob(Fixtures.requeue(1));
    Detection slowdown =
        new Detection(
            "straggler.slowdown",
            AnomalyType.STRAGGLER,
            Cause.STRAGGLER,
            RecoveryAction.NONE,
            null,
            false,
            true);

    handler.onDetection(JOB, 0, "node1", line("rank 3 is 2x slower", 1), slowdown);
    handler.onLine(JOB, 0, "node1", line(Fixtures.SEGFAULT_LINE, 12));

    assertThat(store.anomalies(JOB)).hasSize(2);
    assertThat(store.decisions(JOB))
        .singleElement()
        .satisfies(d -> assertThat(d.reasons().get(0)).contains("CRASH"));
    assertThat(executed).hasSize(1);
  }

  private static final Detection NCCL_TIMEOUT =
      new Detection(
          "nccl.watchdog-timeout",
          AnomalyType.CRASH,
          Cause.NCCL_ERROR,
          RecoveryAction.REQUEUE,
          null,
          true,
          true);

  private final AnomalyHandler settling =
      handler(
          new DecisionSettings(
              new RequeueLimits(1, 3),
              PolicySettings.DEFAULTS,
              RecoveryMode.ACT_EVERYWHERE,
              java.time.Duration.ofSeconds(5)));

  @Test
  void anInitiatingErrorAfterACascadeSymptomIsTheOneDecidedOn() {
    runningJob(Fixtures.requeue(1));

    settling.onDetection(
        JOB, 0, "node1", line("Watchdog caught collective timeout", 3), NCCL_TIMEOUT);
    assertThat(store.decisions(JOB)).isEmpty();
    clock.advance(java.time.Duration.ofSeconds(2));
    settling.onLine(JOB, 0, "node1", line(Fixtures.SEGFAULT_LINE, 9));

    assertThat(store.decisions(JOB))
        .singleElement()
        .satisfies(d -> assertThat(d.reasons().get(0)).contains("CRASH_SEGFAULT"));
    clock.advance(java.time.Duration.ofSeconds(10));
    settling.decideSettled();
    assertThat(store.decisions(JOB)).hasSize(1);
    assertThat(executed).hasSize(1);
  }

  @Test
  void aCascadeSymptomAloneIsDecidedOnWhenItsWindowIsOver() {
    runningJob(Fixtures.requeue(1));

    settling.onDetection(
        JOB, 0, "node1", line("Watchdog caught collective timeout", 3), NCCL_TIMEOUT);
    clock.advance(java.time.Duration.ofSeconds(4));
    settling.decideSettled();
    assertThat(store.decisions(JOB)).isEmpty();

    clock.advance(java.time.Duration.ofSeconds(1));
    settling.decideSettled();
    assertThat(store.decisions(JOB))
        .singleElement()
        .satisfies(d -> assertThat(d.reasons().get(0)).contains("NCCL_ERROR"));
    assertThat(executed).hasSize(1);
  }

  @Test
  void inAnObservedPartitionTheDecisionIsRecordedAndNothingIsSent() {
    runningJob(Fixtures.requeue(1));
    AnomalyHandler observing =
        handler(
            new DecisionSettings(
                new RequeueLimits(1, 3),
                PolicySettings.DEFAULTS,
                new RecoveryMode(false, java.util.Set.of("gpu-prod")),
                java.time.Duration.ZERO));

    observing.onLine(JOB, 0, "node1", line(Fixtures.SEGFAULT_LINE, 12));

    assertThat(executed).isEmpty();
    assertThat(store.decisions(JOB))
        .singleElement()
        .satisfies(d -> {
          assertThat(d.state()).isEqualTo(DecisionState.DONE);
          assertThat(d.operation()).isEqualTo(dev.ajr.core.policy.Operation.RESTART);
          assertThat(String.join(" ", d.reasons())).contains("observe mode");
          assertThat(store.actions(d.id()))
              .isNotEmpty()
              .allSatisfy(a -> assertThat(a.state()).isEqualTo(ActionState.SKIPPED));
        });
    assertThat(store.job(JOB).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
  }

  @Test
  void theSchedulersTeardownAfterAjrDecidedIsNotANewAnomaly() {
    runningJob(Fixtures.requeue(1));
    handler.onLine(JOB, 0, "node1", line(Fixtures.SEGFAULT_LINE, 12));
    Detection aborted =
        new Detection(
            "slurm.step-aborted",
            AnomalyType.CRASH,
            Cause.SLURM_SCHEDULER,
            RecoveryAction.REQUEUE,
            null,
            true,
            true);

    handler.onDetection(
        JOB, 0, "node1", line("srun: Job step aborted: Waiting up to 12 seconds", 13), aborted);

    assertThat(store.anomalies(JOB))
        .singleElement()
        .satisfies(a -> assertThat(a.cause()).isEqualTo(Cause.CRASH_SEGFAULT));
  }

  @Test
  void aRestartAfterPreemptionDoesNotUseTheJobsRecoveries() {
    store.saveJob(Fixtures.job(JOB, Fixtures.requeue(1), JobStatus.RUNNING));
    store.saveAttempt(Fixtures.attempt(JOB, 0, AttemptState.REQUEUED));
    store.saveAttempt(Fixtures.attempt(JOB, 1, AttemptState.RUNNING));
    var preempted =
        store
            .addAnomaly(
                new dev.ajr.core.detect.Anomaly(
                    0,
                    JOB,
                    0,
                    AnomalyType.CRASH,
                    Cause.SLURM_SCHEDULER,
                    "slurm.preempted",
                    RecoveryAction.REQUEUE,
                    "CANCELLED DUE TO PREEMPTION",
                    OUT,
                    3,
                    "node1",
                    clock.instant(),
                    clock.instant(),
                    clock.instant(),
                    Evidence.JOB_OUTPUT,
                    false))
            .orElseThrow();
    store.addDecision(
        new Decision(
            0,
            JOB,
            0,
            dev.ajr.core.policy.Operation.RESTART,
            List.of("preempted"),
            preempted.id(),
            DecisionState.DONE,
            false,
            "",
            clock.instant(),
            clock.instant()),
        List.of());

    handler.onLine(JOB, 1, "node1", line(Fixtures.SEGFAULT_LINE, 12));

    assertThat(store.decisionFor(JOB, 1))
        .hasValueSatisfying(
            d -> assertThat(d.operation()).isEqualTo(dev.ajr.core.policy.Operation.RESTART));
    assertThat(executed).hasSize(1);
  }

  private AnomalyHandler withSettings(PolicySettings settings) {
    return handler(
        new DecisionSettings(
            new RequeueLimits(1, 10),
            settings,
            RecoveryMode.ACT_EVERYWHERE,
            java.time.Duration.ZERO));
  }

  /** Attempt 0 crashed and ajr restarted the job; attempt 1 runs. */
  private void restartedOnce(DirectiveResult directive) {
    runningJob(directive);
    handler.onLine(JOB, 0, "node1", line(Fixtures.SEGFAULT_LINE, 12));
    store.saveDecision(store.decisions(JOB).get(0).withState(DecisionState.DONE, clock.instant()));
    store.saveAttempt(Fixtures.attempt(JOB, 0, AttemptState.KILLED));
    store.saveAttempt(Fixtures.attempt(JOB, 1, AttemptState.RUNNING));
  }

  private static dev.ajr.core.progress.ProgressEvent saved(long iteration) {
    return new dev.ajr.core.progress.ProgressEvent(
        dev.ajr.core.progress.ProgressEvent.Kind.CHECKPOINT_SAVED, iteration, Double.NaN, 0);
  }

  @Test
  void anAttemptThatSavedANewerCheckpointStartsTheBudgetAgain() {
    restartedOnce(Fixtures.requeue(1));
    store.recordProgress(JOB, 0, saved(1000));
    store.recordProgress(JOB, 1, saved(2000));

    handler.onLine(JOB, 1, "node2", line(Fixtures.SEGFAULT_LINE, 3));

    Decision second = store.decisionFor(JOB, 1).orElseThrow();
    assertThat(second.operation()).isEqualTo(Operation.RESTART);
    assertThat(String.join(" | ", second.reasons()))
        .contains("the budget started again: attempt 1 saved checkpoint 2000, beyond 1000 before")
        .contains("recovery 1 of 1");
  }

  @Test
  void anOlderCheckpointSavedAgainDoesNotStartTheBudgetAgain() {
    restartedOnce(Fixtures.requeue(1));
    store.recordProgress(JOB, 0, saved(1000));
    store.recordProgress(JOB, 1, saved(1000));

    handler.onLine(JOB, 1, "node2", line(Fixtures.SEGFAULT_LINE, 3));

    assertThat(store.decisionFor(JOB, 1).orElseThrow().operation()).isEqualTo(Operation.STOP);
  }

  @Test
  void theRootCauseOfEachEarlierRestartIsCountedPerCause() {
    var oneEach =
        new dev.ajr.core.policy.PolicySettings(
            1, true, 3, 3, java.time.Duration.ofMinutes(5), 5, 50, java.time.Duration.ofHours(1));
    runningJob(Fixtures.requeue(5));
    AnomalyHandler perCause = withSettings(oneEach);
    perCause.onLine(JOB, 0, "node1", line(Fixtures.SEGFAULT_LINE, 12));
    store.saveDecision(store.decisions(JOB).get(0).withState(DecisionState.DONE, clock.instant()));
    store.saveAttempt(Fixtures.attempt(JOB, 0, AttemptState.KILLED));
    store.saveAttempt(Fixtures.attempt(JOB, 1, AttemptState.RUNNING));

    perCause.onLine(JOB, 1, "node2", line(Fixtures.SEGFAULT_LINE, 3));

    Decision second = store.decisionFor(JOB, 1).orElseThrow();
    assertThat(second.operation()).isEqualTo(Operation.STOP);
    assertThat(second.stopReason())
        .contains("CRASH_SEGFAULT again after 1 recovery for it (at most 1 per cause)");
  }

  @Test
  void inAClusterRestartStormTheJobIsLeftAsSlurmLeftIt() {
    var stormAtOne =
        new dev.ajr.core.policy.PolicySettings(
            3, true, 3, 3, java.time.Duration.ofMinutes(5), 5, 1, java.time.Duration.ofHours(1));
    long other = 7;
    store.saveJob(Fixtures.job(other, Fixtures.requeue(1), JobStatus.RUNNING));
    store.saveAttempt(Fixtures.attempt(other, 0, AttemptState.RUNNING));
    AnomalyHandler storm = withSettings(stormAtOne);
    storm.onLine(other, 0, "node3", line(Fixtures.SEGFAULT_LINE, 1));
    assertThat(store.restartsSince(clock.instant().minusSeconds(3600))).isEqualTo(1);
    runningJob(Fixtures.requeue(1));
    clock.advance(java.time.Duration.ofMinutes(10));

    storm.onLine(JOB, 0, "node1", line(Fixtures.SEGFAULT_LINE, 12));

    Decision decision = store.decisionFor(JOB, 0).orElseThrow();
    assertThat(decision.operation()).isEqualTo(Operation.NONE);
    assertThat(decision.state()).isEqualTo(DecisionState.DONE);
    assertThat(String.join(" ", decision.reasons()))
        .contains("the cluster is in a restart storm", "an operator should look");
    assertThat(store.actions(decision.id())).isEmpty();
    assertThat(executed).hasSize(1);
    assertThat(store.job(JOB).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
  }

  @Test
  void observedDecisionsAreNoRestartsOfTheCluster() {
    runningJob(Fixtures.requeue(1));
    handler(
            new DecisionSettings(
                new RequeueLimits(1, 3),
                PolicySettings.DEFAULTS,
                new RecoveryMode(true, java.util.Set.of()),
                java.time.Duration.ZERO))
        .onLine(JOB, 0, "node1", line(Fixtures.SEGFAULT_LINE, 12));

    assertThat(store.decisions(JOB))
        .singleElement()
        .satisfies(d -> assertThat(d.operation()).isEqualTo(Operation.RESTART));
    assertThat(store.restartsSince(clock.instant().minusSeconds(3600))).isZero();
  }

  @Test
  void aRuleThatCountsLinesMakesAnAnomalyOnlyAtItsCountWithinOneOutput() {
    runningJob(Fixtures.requeue(1));
    LineClassifier skips =
        line ->
            line.contains("Skipping step")
                ? java.util.Optional.of(
                    new Detection(
                        "divergence.overflow-skips-repeated",
                        AnomalyType.CRASH,
                        Cause.TRAINING_DIVERGENCE,
                        RecoveryAction.STOP,
                        null,
                        false,
                        true,
                        new dev.ajr.core.detect.Repeat(3, 100)))
                : java.util.Optional.empty();
    AnomalyHandler counting =
        new AnomalyHandler(
            skips,
            store,
            () -> snapshot,
            events::add,
            new JobLocks(),
            clock,
            executed::add,
            Fixtures.decisionSettings(new RequeueLimits(1, 3)));

    counting.onLine(JOB, 0, "node1", line("OVERFLOW! Rank 0 Skipping step. scale 64", 10));
    counting.onLine(JOB, 0, "node1", line("OVERFLOW! Rank 0 Skipping step. scale 32", 500));
    counting.onLine(JOB, 0, "node1", line("OVERFLOW! Rank 0 Skipping step. scale 16", 510));
    assertThat(store.anomalies(JOB)).as("three lines, but not within 100 lines").isEmpty();

    counting.onLine(JOB, 0, "node1", line("OVERFLOW! Rank 0 Skipping step. scale 8", 520));
    assertThat(store.anomalies(JOB))
        .singleElement()
        .satisfies(a -> assertThat(a.lineNumber()).isEqualTo(520));
  }
}
