package dev.ajr.core.recovery;

import dev.ajr.core.event.AjrEvent;
import dev.ajr.core.event.EventSink;
import dev.ajr.core.job.Attempt;
import dev.ajr.core.job.AttemptState;
import dev.ajr.core.job.JobStatus;
import dev.ajr.core.policy.ActionKind;
import dev.ajr.core.policy.Operation;
import dev.ajr.core.scheduler.Scheduler;
import dev.ajr.core.scheduler.SchedulerException;
import dev.ajr.core.scheduler.SchedulerJob;
import dev.ajr.core.store.JobLocks;
import dev.ajr.core.store.RecoveryStore;
import dev.ajr.core.tracking.JobStatuses;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Carries out a stored decision, one action after the other, as a persisted state machine.
 *
 * <p>Design: each action is first checked against a fresh look at the scheduler; if its effect is
 * already in place (a resumed decision, or the scheduler did it on its own) it is recorded as
 * verified and never sent. Otherwise the action is written as ISSUED before the command is sent,
 * and VERIFIED only once a fresh look shows the effect. A command that fails or whose effect does
 * not show is tried again with backoff until the action deadline, so a controller that is down for
 * minutes delays recovery and does not lose it; a command the scheduler refuses outright three
 * times in a row fails the action at once. A decision interrupted by a crash of ajr is resumed by
 * {@link #run} on start: verified actions are skipped, the others are checked before being sent
 * again, so nothing is repeated and no job stays held.
 *
 * <p>Thread-safety: {@link #run} may be called from several threads for different decisions; one
 * decision must be run by one thread at a time.
 */
public final class RecoveryExecutor {

  /**
   * A command the scheduler refuses (rather than cannot answer) this many times in a row, with its
   * effect still missing, fails the action: for example a job submitted with {@code --no-requeue}.
   */
  static final int MAX_REFUSALS = 3;

  private static final Duration FIRST_LOOK = Duration.ofMillis(20);

  private final Scheduler scheduler;
  private final RecoveryStore store;
  private final EventSink events;
  private final JobLocks locks;
  private final Clock clock;
  private final Pacer pacer;
  private final ExecutorSettings settings;
  private final StepProbe probe;
  private final Fence fence;

  public RecoveryExecutor(
      Scheduler scheduler,
      RecoveryStore store,
      EventSink events,
      JobLocks locks,
      Clock clock,
      Pacer pacer,
      ExecutorSettings settings) {
    this(scheduler, store, events, locks, clock, pacer, settings, StepProbe.NONE, Fence.NONE);
  }

  /**
   * @param probe told each step as it is reached (fault-injection tests stop ajr there)
   * @param fence checked right before each command: a replica that lost the leader lease sends
   *     nothing (the decision stays unfinished for the new leader)
   */
  public RecoveryExecutor(
      Scheduler scheduler,
      RecoveryStore store,
      EventSink events,
      JobLocks locks,
      Clock clock,
      Pacer pacer,
      ExecutorSettings settings,
      StepProbe probe,
      Fence fence) {
    this.probe = probe;
    this.fence = fence;
    this.scheduler = scheduler;
    this.store = store;
    this.events = events;
    this.locks = locks;
    this.clock = clock;
    this.pacer = pacer;
    this.settings = settings;
  }

  /** Runs every decision that was not finished, oldest first (called on start). */
  public void resumeUnfinished() throws InterruptedException, Fence.FencedOut {
    for (Decision decision : store.unfinishedDecisions()) {
      run(decision.id());
    }
  }

  /**
   * Carries the decision through to DONE or FAILED. Returns its final state; a decision that is
   * already final is left alone.
   *
   * @throws Fence.FencedOut when this process lost the right to act; nothing more was sent and the
   *     decision is left for the process that holds it now
   */
  public DecisionState run(long decisionId) throws InterruptedException, Fence.FencedOut {
    Decision decision =
        store
            .decision(decisionId)
            .orElseThrow(() -> new IllegalArgumentException("no decision " + decisionId));
    if (decision.state().isFinal()) {
      return decision.state();
    }
    if (decision.state() == DecisionState.PLANNED) {
      decision = decision.withState(DecisionState.IN_PROGRESS, null);
      store.saveDecision(decision);
    }
    probe.reached("decision.started");
    for (Action action : store.actions(decisionId)) {
      if (action.state() == ActionState.VERIFIED) {
        // Verified before a stop of ajr: its effect on the job's history may not be recorded yet
        // (recording it is idempotent).
        applyEffect(decision, action);
        continue;
      }
      Action done = carryOut(decision, action);
      if (done.state() != ActionState.VERIFIED) {
        return finish(decision, DecisionState.FAILED, done.outcome());
      }
      probe.reached(done.kind() + ".verified");
      applyEffect(decision, done);
    }
    probe.reached("decision.finishing");
    return finish(decision, DecisionState.DONE, "");
  }

  private Action carryOut(Decision decision, Action action)
      throws InterruptedException, Fence.FencedOut {
    Instant deadline = clock.instant().plus(settings.actionDeadline());
    Duration backoff = settings.verifyPoll();
    String problem = "";
    int refusals = 0;
    Action current = action;
    while (true) {
      Look look = look(current.targetJobId());
      if (look.known() && satisfied(current, decision, look)) {
        String how = current.tries() == 0 ? "already in effect: " : "verified: ";
        return record(current.withOutcome(ActionState.VERIFIED, how + look.describe(), now()));
      }
      if (look.known() && look.job().isEmpty() && current.kind() != ActionKind.CANCEL) {
        return record(
            current.withOutcome(
                ActionState.FAILED,
                "job " + current.targetJobId() + " is no longer known to the scheduler",
                now()));
      }
      if (look.known() && look.job().isPresent()) {
        Optional<String> refusal =
            ActionChecks.refusal(current, attemptOf(current, decision), look.job().get());
        if (refusal.isPresent()) {
          return record(current.withOutcome(ActionState.FAILED, refusal.get(), now()));
        }
      }
      if (!now().isBefore(deadline)) {
        return record(
            current.withOutcome(
                ActionState.FAILED,
                "gave up after " + current.tries() + " tries: " + problem,
                now()));
      }
      if (!look.known()) {
        if (!look.error().equals(problem)) {
          // Say why the action waits, once per new reason: an operator sees it in the API.
          current = record(current.withOutcome(current.state(), "waiting: " + look.error(), now()));
        }
        problem = look.error();
      } else if (requeueUnderway(current, decision, look)) {
        // The restart count moved but the old run is still completing (KillWait): a second
        // requeuehold would requeue the job again.
        problem = "the requeue is still completing: " + look.describe();
      } else {
        fence.check();
        current = record(current.issued(now()));
        try {
          probe.reached(current.kind() + ".issued");
          fence.check();
          send(current);
          probe.reached(current.kind() + ".sent");
          Optional<Look> verified = awaitEffect(current, decision);
          if (verified.isPresent()) {
            return record(
                current.withOutcome(
                    ActionState.VERIFIED, "verified: " + verified.get().describe(), now()));
          }
          problem =
              "the scheduler did not show the effect within "
                  + settings.verifyTimeout().toSeconds()
                  + " s";
        } catch (SchedulerException e) {
          problem = e.getMessage();
          refusals = e.transientFailure() ? 0 : refusals + 1;
        }
        if (refusals >= MAX_REFUSALS) {
          return record(
              current.withOutcome(
                  ActionState.FAILED,
                  "Slurm refused it " + refusals + " times: " + problem,
                  now()));
        }
        current =
            record(
                current.withOutcome(
                    ActionState.ISSUED,
                    "try " + current.tries() + " did not take effect: " + problem,
                    now()));
      }
      pacer.pause(backoff);
      backoff = min(backoff.multipliedBy(2), settings.maxBackoff());
    }
  }

  /**
   * Looks at the job until the action shows its effect: soon at first (Slurm usually applies a
   * command within tens of milliseconds), then at most every {@code verifyPoll}.
   */
  private Optional<Look> awaitEffect(Action action, Decision decision) throws InterruptedException {
    Instant until = now().plus(settings.verifyTimeout());
    Duration wait = min(FIRST_LOOK, settings.verifyPoll());
    while (true) {
      Look look = look(action.targetJobId());
      if (look.known() && satisfied(action, decision, look)) {
        return Optional.of(look);
      }
      if (!now().isBefore(until)) {
        return Optional.empty();
      }
      pacer.pause(wait);
      wait = min(wait.multipliedBy(2), settings.verifyPoll());
    }
  }

  private static boolean requeueUnderway(Action action, Decision decision, Look look) {
    return action.kind() == ActionKind.REQUEUE_HOLD
        && action.targetJobId() == decision.jobId()
        && look.job().isPresent()
        && look.job().get().restartCount() > decision.attemptIndex();
  }

  private boolean satisfied(Action action, Decision decision, Look look) {
    return ActionChecks.satisfied(action, attemptOf(action, decision), look.job(), now());
  }

  /**
   * The attempt an action acts on: the decision's attempt for the decision's own job, attempt 0 for
   * a singleton successor that has not run yet.
   */
  private static int attemptOf(Action action, Decision decision) {
    return action.targetJobId() == decision.jobId() ? decision.attemptIndex() : 0;
  }

  private void send(Action action) throws SchedulerException {
    long id = action.targetJobId();
    switch (action.kind()) {
      case REQUEUE_HOLD -> scheduler.requeueHold(id);
      case RELEASE -> scheduler.release(id);
      case START_NOW -> scheduler.startAfter(id, settings.restartDelay());
      case CANCEL -> scheduler.cancel(id);
      case EXCLUDE_NODES -> scheduler.excludeNodes(id, action.nodes());
    }
  }

  /** Records in the job's history what a verified action did to its attempts. */
  private void applyEffect(Decision decision, Action action) {
    if (action.targetJobId() != decision.jobId()) {
      return;
    }
    if (action.kind() != ActionKind.REQUEUE_HOLD && action.kind() != ActionKind.CANCEL) {
      return;
    }
    locks.withLock(decision.jobId(), () -> store.atomically(() -> recordEffect(decision, action)));
  }

  private void recordEffect(Decision decision, Action action) {
    Instant now = now();
    List<Attempt> attempts = store.attempts(decision.jobId());
    String why = "killed by ajr: " + decision.reasons().get(0);
    for (Attempt attempt : attempts) {
      if (attempt.index() == decision.attemptIndex() && attempt.state() != AttemptState.KILLED) {
        Attempt killed = attempt.ended(AttemptState.KILLED, now, null, why);
        store.saveAttempt(
            new Attempt(
                killed.jobId(),
                killed.index(),
                AttemptState.KILLED,
                killed.nodes(),
                killed.startTime(),
                killed.endTime(),
                killed.exitCode(),
                why));
        events.publish(
            new AjrEvent.AttemptEnded(
                decision.jobId(), attempt.index(), AttemptState.KILLED, why, now));
      }
    }
    int next = decision.attemptIndex() + 1;
    if (action.kind() == ActionKind.REQUEUE_HOLD
        && attempts.stream().noneMatch(a -> a.index() == next)) {
      store.saveAttempt(Attempt.pending(decision.jobId(), next));
    }
  }

  private DecisionState finish(Decision decision, DecisionState state, String problem) {
    Decision finished = decision.withState(state, now());
    store.saveDecision(finished);
    locks.withLock(
        decision.jobId(),
        () ->
            store
                .job(decision.jobId())
                .ifPresent(job -> {
                  JobStatus status;
                  String reason;
                  if (state == DecisionState.FAILED) {
                    status = freshStatus(decision.jobId());
                    reason = "recovery failed: " + problem;
                  } else if (decision.stopsJob()) {
                    status = JobStatus.STOPPED;
                    reason = decision.stopReason();
                  } else if (decision.operation() == Operation.RELEASE) {
                    status = JobStatus.FAILED;
                    reason = "ended by ajr; " + decision.reasons().get(1);
                  } else if (decision.operation() == Operation.RESTART) {
                    status = freshStatus(decision.jobId());
                    reason = "requeued by ajr after attempt " + decision.attemptIndex();
                  } else {
                    return;
                  }
                  store.atomically(() -> {
                    store.saveJob(job.withStatus(status, reason));
                    events.publish(new AjrEvent.JobStatusChanged(job.jobId(), status, reason));
                  });
                }));
    return state;
  }

  private JobStatus freshStatus(long jobId) {
    Look look = look(jobId);
    if (look.known() && look.job().isPresent()) {
      return JobStatuses.jobStatus(look.job().get());
    }
    return JobStatus.PENDING;
  }

  private Action record(Action action) {
    store.atomically(() -> {
      store.saveAction(action);
      events.publish(new AjrEvent.ActionUpdated(action.targetJobId(), action));
    });
    return action;
  }

  private Look look(long jobId) {
    try {
      return new Look(true, scheduler.job(jobId), "");
    } catch (SchedulerException e) {
      return new Look(false, Optional.empty(), e.getMessage());
    }
  }

  private Instant now() {
    return clock.instant();
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** A look at one job: known is false when the scheduler could not be asked. */
  private record Look(boolean known, Optional<SchedulerJob> job, String error) {
    String describe() {
      return ActionChecks.describe(job);
    }
  }
}
