package dev.ajr.core.recovery;

import static dev.ajr.core.testing.SchedulerJobBuilder.job;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.core.event.AjrEvent;
import dev.ajr.core.job.Attempt;
import dev.ajr.core.job.AttemptState;
import dev.ajr.core.job.JobStatus;
import dev.ajr.core.policy.ActionKind;
import dev.ajr.core.policy.Operation;
import dev.ajr.core.store.JobLocks;
import dev.ajr.core.testing.FakeScheduler;
import dev.ajr.core.testing.Fixtures;
import dev.ajr.core.testing.InMemoryRecoveryStore;
import dev.ajr.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RecoveryExecutorTest {

  private static final long JOB = 42;
  private static final String STOP_REASON =
      "stopped: the requeue limit of 1 is reached after CRASH in attempt 0";

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:10:00Z"));
  private final InMemoryRecoveryStore store = new InMemoryRecoveryStore();
  private final FakeScheduler scheduler = new FakeScheduler(clock);
  private final List<AjrEvent> events = new ArrayList<>();
  private final List<Duration> pauses = new ArrayList<>();
  private final Pacer pacer =
      duration -> {
        pauses.add(duration);
        clock.advance(duration);
      };
  private final RecoveryExecutor executor =
      new RecoveryExecutor(
          scheduler, store, events::add, new JobLocks(), clock, pacer, ExecutorSettings.DEFAULTS);

  @BeforeEach
  void runningOptedInJob() {
    store.saveJob(Fixtures.job(JOB, Fixtures.requeue(1), JobStatus.RECOVERING));
    store.saveAttempt(Fixtures.attempt(JOB, 0, AttemptState.RUNNING));
    scheduler.put(job(JOB).build());
  }

  private Decision storeDecision(Operation operation, boolean stops, ActionKind... kinds) {
    List<Action> actions = new ArrayList<>();
    for (int i = 0; i < kinds.length; i++) {
      actions.add(
          new Action(0, 0, i, kinds[i], JOB, List.of(), ActionState.PENDING, 0, "", null, null));
    }
    return store.addDecision(
        new Decision(
            0,
            JOB,
            0,
            operation,
            List.of("CRASH anomaly (CRASH_SEGFAULT) in attempt 0", "what ajr does"),
            1,
            DecisionState.PLANNED,
            stops,
            stops ? STOP_REASON : "",
            clock.instant(),
            null),
        actions);
  }

  private Decision restartDecision() {
    return storeDecision(
        Operation.RESTART,
        false,
        ActionKind.REQUEUE_HOLD,
        ActionKind.START_NOW,
        ActionKind.RELEASE);
  }

  private Attempt attempt(int index) {
    return store.attempts(JOB).stream().filter(a -> a.index() == index).findFirst().orElseThrow();
  }

  @Test
  void restartRunsToDoneAndVerifiesEveryAction() throws Exception {
    Decision decision = restartDecision();

    DecisionState state = executor.run(decision.id());

    assertThat(state).isEqualTo(DecisionState.DONE);
    assertThat(store.decision(decision.id()).orElseThrow().state()).isEqualTo(DecisionState.DONE);
    assertThat(store.decision(decision.id()).orElseThrow().finishedAt()).isNotNull();
    assertThat(store.actions(decision.id()))
        .extracting(Action::state)
        .containsOnly(ActionState.VERIFIED);
    assertThat(store.actions(decision.id())).extracting(Action::tries).containsOnly(1);
    assertThat(scheduler.commandLog())
        .containsExactly("requeueHold 42", "startNow 42", "release 42");
    var job = scheduler.get(JOB);
    assertThat(job.restartCount()).isEqualTo(1);
    assertThat(job.held()).isFalse();
    assertThat(job.beginTime())
        .isBeforeOrEqualTo(clock.instant().plus(ExecutorSettings.DEFAULTS.restartDelay()));
    assertThat(attempt(0).state()).isEqualTo(AttemptState.KILLED);
    assertThat(attempt(0).endReason()).startsWith("killed by ajr: CRASH anomaly");
    assertThat(attempt(1).state()).isEqualTo(AttemptState.PENDING);
    var stored = store.job(JOB).orElseThrow();
    assertThat(stored.status()).isEqualTo(JobStatus.PENDING);
    assertThat(stored.statusReason()).isEqualTo("requeued by ajr after attempt 0");
    assertThat(events)
        .filteredOn(e -> e instanceof AjrEvent.AttemptEnded)
        .singleElement()
        .isEqualTo(
            new AjrEvent.AttemptEnded(
                JOB, 0, AttemptState.KILLED, attempt(0).endReason(), clock.instant()));
  }

  @Test
  void resumedDecisionDoesNotRepeatRequeueAlreadyDoneBeforeCrash() throws Exception {
    Decision decision = restartDecision();
    // ajr wrote ISSUED, sent requeuehold, and died before it verified the effect.
    store.saveDecision(decision.withState(DecisionState.IN_PROGRESS, null));
    Action requeue = store.actions(decision.id()).get(0);
    store.saveAction(requeue.issued(clock.instant()));
    scheduler.requeueHold(JOB);
    int requeuesBefore = scheduler.calls("requeueHold");
    clock.advance(Duration.ofMinutes(1));

    executor.resumeUnfinished();

    assertThat(scheduler.calls("requeueHold")).isEqualTo(requeuesBefore);
    assertThat(scheduler.get(JOB).restartCount()).isEqualTo(1);
    assertThat(store.decision(decision.id()).orElseThrow().state()).isEqualTo(DecisionState.DONE);
    Action verified = store.actions(decision.id()).get(0);
    assertThat(verified.state()).isEqualTo(ActionState.VERIFIED);
    assertThat(verified.tries()).isEqualTo(1);
    assertThat(store.actions(decision.id()))
        .extracting(Action::state)
        .containsOnly(ActionState.VERIFIED);
    assertThat(scheduler.get(JOB).held()).isFalse();
    assertThat(attempt(0).state()).isEqualTo(AttemptState.KILLED);
    assertThat(store.unfinishedDecisions()).isEmpty();
  }

  @Test
  void actionAlreadyInEffectIsRecordedAndNotSent() throws Exception {
    // The job was already requeued held and released by someone else; only its begin time waits.
    scheduler.put(
        job(JOB)
            .state("PENDING")
            .reason("BeginTime")
            .restartCount(1)
            .nodes()
            .startTime(null)
            .beginTime(clock.instant().plusSeconds(121))
            .build());
    Decision decision = restartDecision();

    executor.run(decision.id());

    assertThat(scheduler.calls("requeueHold")).isZero();
    assertThat(scheduler.calls("release")).isZero();
    assertThat(scheduler.calls("startNow")).isEqualTo(1);
    List<Action> actions = store.actions(decision.id());
    assertThat(actions.get(0).outcome()).startsWith("already in effect: ");
    assertThat(actions.get(0).tries()).isZero();
    assertThat(actions.get(2).outcome()).startsWith("already in effect: ");
  }

  @Test
  void transientFailuresDelayRecoveryButDoNotLoseIt() throws Exception {
    scheduler.failTransiently("requeueHold", 3).failTransiently("release", 2);
    scheduler.controllerDownUntil(clock.instant().plusSeconds(45));
    Instant started = clock.instant();
    Decision decision = restartDecision();

    DecisionState state = executor.run(decision.id());

    assertThat(state).isEqualTo(DecisionState.DONE);
    assertThat(scheduler.calls("requeueHold")).isEqualTo(4);
    assertThat(scheduler.calls("release")).isEqualTo(3);
    assertThat(scheduler.commandLog())
        .containsExactly("requeueHold 42", "startNow 42", "release 42");
    List<Action> actions = store.actions(decision.id());
    assertThat(actions).extracting(Action::state).containsOnly(ActionState.VERIFIED);
    assertThat(actions.get(0).tries()).isEqualTo(4);
    assertThat(actions.get(2).tries()).isEqualTo(3);
    assertThat(clock.instant()).isAfter(started.plusSeconds(45));
    assertThat(pauses).allSatisfy(p -> assertThat(p).isLessThanOrEqualTo(Duration.ofSeconds(10)));
    assertThat(events)
        .filteredOn(e -> e instanceof AjrEvent.ActionUpdated u && u.action().seq() == 0)
        .map(e -> ((AjrEvent.ActionUpdated) e).action().outcome())
        .anyMatch(outcome -> outcome.contains("Socket timed out"))
        .anyMatch(outcome -> outcome.startsWith("waiting: Unable to contact slurm controller"));
  }

  @Test
  void controllerDownPastDeadlineFailsDecisionWithTheError() throws Exception {
    scheduler.controllerDownUntil(Instant.MAX);
    Instant started = clock.instant();
    Decision decision = restartDecision();

    DecisionState state = executor.run(decision.id());

    assertThat(state).isEqualTo(DecisionState.FAILED);
    assertThat(clock.instant())
        .isAfterOrEqualTo(started.plus(ExecutorSettings.DEFAULTS.actionDeadline()));
    List<Action> actions = store.actions(decision.id());
    assertThat(actions.get(0).state()).isEqualTo(ActionState.FAILED);
    assertThat(actions.get(0).outcome())
        .contains("gave up")
        .contains("Unable to contact slurm controller");
    assertThat(actions.get(1).state()).isEqualTo(ActionState.PENDING);
    assertThat(scheduler.calls("requeueHold")).isZero();
    assertThat(store.decision(decision.id()).orElseThrow().state()).isEqualTo(DecisionState.FAILED);
    assertThat(store.job(JOB).orElseThrow().statusReason())
        .startsWith("recovery failed: ")
        .contains("Unable to contact slurm controller");
    assertThat(attempt(0).state()).isEqualTo(AttemptState.RUNNING);
  }

  @Test
  void commandFailingPastDeadlineFailsDecisionWithTheError() throws Exception {
    scheduler.failTransiently("requeueHold", Integer.MAX_VALUE);
    Decision decision = restartDecision();

    DecisionState state = executor.run(decision.id());

    assertThat(state).isEqualTo(DecisionState.FAILED);
    Action requeue = store.actions(decision.id()).get(0);
    assertThat(requeue.state()).isEqualTo(ActionState.FAILED);
    assertThat(requeue.tries()).isGreaterThan(1);
    assertThat(requeue.outcome()).contains("gave up after").contains("Socket timed out");
    var job = store.job(JOB).orElseThrow();
    assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
    assertThat(job.statusReason()).contains("Socket timed out");
  }

  @Test
  void neverRequeuesJobTheUserCancelled() throws Exception {
    scheduler.put(job(JOB).state("CANCELLED").endTime(clock.instant()).exitCode(143).build());
    Decision decision = restartDecision();

    DecisionState state = executor.run(decision.id());

    assertThat(state).isEqualTo(DecisionState.FAILED);
    assertThat(scheduler.calls("requeueHold")).isZero();
    assertThat(scheduler.get(JOB).state()).isEqualTo("CANCELLED");
    Action requeue = store.actions(decision.id()).get(0);
    assertThat(requeue.state()).isEqualTo(ActionState.FAILED);
    assertThat(requeue.outcome()).contains("does not requeue a job that was cancelled");
    var job = store.job(JOB).orElseThrow();
    assertThat(job.status()).isEqualTo(JobStatus.CANCELLED);
    assertThat(job.statusReason()).startsWith("recovery failed: ");
  }

  @Test
  void stopDecisionCancelsAndMarksJobStoppedWithItsReason() throws Exception {
    Decision decision = storeDecision(Operation.STOP, true, ActionKind.CANCEL);

    DecisionState state = executor.run(decision.id());

    assertThat(state).isEqualTo(DecisionState.DONE);
    assertThat(scheduler.commandLog()).containsExactly("cancel 42");
    var job = store.job(JOB).orElseThrow();
    assertThat(job.status()).isEqualTo(JobStatus.STOPPED);
    assertThat(job.statusReason()).isEqualTo(STOP_REASON);
    assertThat(attempt(0).state()).isEqualTo(AttemptState.KILLED);
    assertThat(store.attempts(JOB)).hasSize(1);
    assertThat(events).contains(new AjrEvent.JobStatusChanged(JOB, JobStatus.STOPPED, STOP_REASON));
  }

  @Test
  void stopDecisionWithoutActionsOnlyMarksJobStopped() throws Exception {
    scheduler.put(job(JOB).state("FAILED").exitCode(139).build());
    Decision decision = storeDecision(Operation.STOP, true);

    executor.run(decision.id());

    assertThat(scheduler.commandLog()).isEmpty();
    assertThat(store.job(JOB).orElseThrow().status()).isEqualTo(JobStatus.STOPPED);
  }

  @Test
  void finishedDecisionIsLeftAlone() throws Exception {
    Decision decision = restartDecision();
    store.saveDecision(decision.withState(DecisionState.DONE, clock.instant()));

    assertThat(executor.run(decision.id())).isEqualTo(DecisionState.DONE);
    assertThat(scheduler.commandLog()).isEmpty();
    assertThat(scheduler.calls("job")).isZero();
  }

  @Test
  void waitsUntilRequeueFinishesBeforeLettingTheJobStart() throws Exception {
    // A job that ignores SIGTERM stays COMPLETING for KillWait; Slurm resets its begin time when
    // the requeue finishes, so a StartTime=now sent earlier would be lost.
    scheduler.killWait(Duration.ofSeconds(30));
    Instant requeuedAt = clock.instant();
    Decision decision = restartDecision();

    DecisionState state = executor.run(decision.id());

    assertThat(state).isEqualTo(DecisionState.DONE);
    assertThat(scheduler.calls("requeueHold")).isEqualTo(1);
    var job = scheduler.get(JOB);
    assertThat(job.state()).isEqualTo("PENDING");
    assertThat(job.held()).isFalse();
    assertThat(job.beginTime())
        .isBeforeOrEqualTo(clock.instant().plus(ExecutorSettings.DEFAULTS.restartDelay()));
    assertThat(clock.instant()).isAfterOrEqualTo(requeuedAt.plusSeconds(30));
    assertThat(store.actions(decision.id()).get(0).outcome()).contains("PENDING");
  }

  @Test
  void singletonReleaseEndsJobAndReleasesHeldSuccessor() throws Exception {
    long successor = 43;
    scheduler.put(
        job(successor)
            .state("PENDING")
            .reason("JobHeldUser")
            .held(true)
            .nodes()
            .startTime(null)
            .beginTime(null)
            .build());
    List<Action> actions =
        List.of(
            new Action(
                0, 0, 0, ActionKind.CANCEL, JOB, List.of(), ActionState.PENDING, 0, "", null, null),
            new Action(
                0,
                0,
                1,
                ActionKind.RELEASE,
                successor,
                List.of(),
                ActionState.PENDING,
                0,
                "",
                null,
                null));
    Decision decision =
        store.addDecision(
            new Decision(
                0,
                JOB,
                0,
                Operation.RELEASE,
                List.of(
                    "CRASH anomaly in attempt 0", "end job 42 and release its held successor 43"),
                1,
                DecisionState.PLANNED,
                false,
                "",
                clock.instant(),
                null),
            actions);

    DecisionState state = executor.run(decision.id());

    assertThat(state).isEqualTo(DecisionState.DONE);
    assertThat(scheduler.commandLog()).containsExactly("cancel 42", "release 43");
    assertThat(scheduler.get(successor).held()).isFalse();
    assertThat(attempt(0).state()).isEqualTo(AttemptState.KILLED);
    assertThat(store.attempts(JOB)).hasSize(1);
    var job = store.job(JOB).orElseThrow();
    assertThat(job.status()).isEqualTo(JobStatus.FAILED);
    assertThat(job.statusReason())
        .isEqualTo("ended by ajr; end job 42 and release its held successor 43");
    assertThat(store.predecessorOf(successor)).contains(JOB);
  }

  @Test
  void resumedDecisionWaitsForCompletingRequeueInsteadOfSendingItAgain() throws Exception {
    scheduler.killWait(Duration.ofSeconds(45));
    Decision decision = restartDecision();
    store.saveDecision(decision.withState(DecisionState.IN_PROGRESS, null));
    store.saveAction(store.actions(decision.id()).get(0).issued(clock.instant()));
    scheduler.requeueHold(JOB);
    assertThat(scheduler.get(JOB).state()).isEqualTo("COMPLETING");

    DecisionState state = executor.run(decision.id());

    assertThat(state).isEqualTo(DecisionState.DONE);
    assertThat(scheduler.calls("requeueHold")).isEqualTo(1);
    assertThat(scheduler.get(JOB).restartCount()).isEqualTo(1);
    assertThat(store.actions(decision.id()).get(0).tries()).isEqualTo(1);
    assertThat(store.attempts(JOB)).extracting(Attempt::index).containsExactly(0, 1);
  }

  @Test
  void aCommandSlurmRefusesThreeTimesFailsTheDecisionWithoutWaitingForTheDeadline()
      throws Exception {
    scheduler.refuse(
        "requeueHold",
        "could not requeue job 42 held (exit 1): Requested operation is presently"
            + " disabled for job 42");
    Decision decision = restartDecision();
    Instant started = clock.instant();

    assertThat(executor.run(decision.id())).isEqualTo(DecisionState.FAILED);

    Action requeue = store.actions(decision.id()).get(0);
    assertThat(requeue.state()).isEqualTo(ActionState.FAILED);
    assertThat(requeue.outcome()).contains("refused it 3 times", "presently disabled");
    assertThat(scheduler.calls("requeueHold")).isEqualTo(3);
    assertThat(clock.instant()).isBefore(started.plus(Duration.ofMinutes(1)));
    assertThat(store.job(JOB).orElseThrow().statusReason()).startsWith("recovery failed:");
  }

  @Test
  void aReplicaThatLostTheLeaderLeaseSendsNothingAndLeavesTheDecisionUnfinished() throws Exception {
    RecoveryExecutor fenced =
        new RecoveryExecutor(
            scheduler,
            store,
            e -> {},
            new dev.ajr.core.store.JobLocks(),
            clock,
            d -> clock.advance(d),
            ExecutorSettings.DEFAULTS,
            StepProbe.NONE,
            () -> {
              throw new Fence.FencedOut("the leader lease is held by replica b");
            });
    Decision decision = restartDecision();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> fenced.run(decision.id()))
        .isInstanceOf(Fence.FencedOut.class);
    assertThat(scheduler.calls("requeueHold")).isZero();
    assertThat(store.decision(decision.id()).orElseThrow().state().isFinal()).isFalse();
    assertThat(store.actions(decision.id())).allMatch(a -> a.state() == ActionState.PENDING);
  }
}
