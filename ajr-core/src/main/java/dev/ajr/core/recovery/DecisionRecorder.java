package dev.ajr.core.recovery;

import dev.ajr.core.detect.Anomaly;
import dev.ajr.core.event.AjrEvent;
import dev.ajr.core.event.EventSink;
import dev.ajr.core.job.Job;
import dev.ajr.core.job.JobStatus;
import dev.ajr.core.policy.DecisionPlan;
import dev.ajr.core.policy.PlannedAction;
import dev.ajr.core.store.RecoveryStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Stores the policy's plan as a {@link Decision} with its {@link Action}s, before anything is done,
 * and tells the event sink. A plan that changes the job is PLANNED, with PENDING actions, and the
 * job turns RECOVERING; on a partition ajr only observes, the same plan is DONE with its actions
 * SKIPPED and the job is left as it is; a plan without actions is DONE at once. Call it under the
 * job's lock inside the store's transaction. Thread-safe when the store and the sink are.
 */
final class DecisionRecorder {

  private final RecoveryStore store;
  private final EventSink events;
  private final RecoveryMode mode;

  DecisionRecorder(RecoveryStore store, EventSink events, RecoveryMode mode) {
    this.store = store;
    this.events = events;
    this.mode = mode;
  }

  /**
   * Records the plan for the anomaly of {@code job}.
   *
   * @return the id of the decision to carry out, or 0 when there is nothing to carry out
   */
  long record(Job job, Anomaly anomaly, DecisionPlan plan, Instant now) {
    boolean acts = !(plan instanceof DecisionPlan.NoAction);
    if (acts && !mode.actsOn(job.partition())) {
      observe(anomaly, plan, job.partition(), now);
      return 0;
    }
    Decision decision =
        store.addDecision(
            new Decision(
                0,
                anomaly.jobId(),
                anomaly.attemptIndex(),
                plan.operation(),
                plan.reasons(),
                anomaly.id(),
                acts ? DecisionState.PLANNED : DecisionState.DONE,
                plan.stopsJob(),
                plan.stopReason(),
                now,
                acts ? null : now),
            toActions(plan));
    events.publish(new AjrEvent.DecisionMade(decision, store.actions(decision.id())));
    if (!acts) {
      return 0;
    }
    String reason = plan.reasons().get(0);
    store.saveJob(job.withStatus(JobStatus.RECOVERING, reason));
    events.publish(new AjrEvent.JobStatusChanged(anomaly.jobId(), JobStatus.RECOVERING, reason));
    return decision.id();
  }

  /** Records what ajr would have done, without doing it. */
  private void observe(Anomaly anomaly, DecisionPlan plan, String partition, Instant now) {
    List<String> reasons = new ArrayList<>(plan.reasons());
    reasons.add(mode.observeReason(partition));
    List<Action> skipped = new ArrayList<>();
    for (Action a : toActions(plan)) {
      skipped.add(a.withOutcome(ActionState.SKIPPED, "not sent: observe mode", now));
    }
    Decision decision =
        store.addDecision(
            new Decision(
                0,
                anomaly.jobId(),
                anomaly.attemptIndex(),
                plan.operation(),
                reasons,
                anomaly.id(),
                DecisionState.DONE,
                false,
                "",
                now,
                now),
            skipped);
    events.publish(new AjrEvent.DecisionMade(decision, store.actions(decision.id())));
  }

  /** The plan's actions, PENDING, numbered in the order they are carried out. */
  private static List<Action> toActions(DecisionPlan plan) {
    List<Action> actions = new ArrayList<>();
    int seq = 0;
    for (PlannedAction p : plan.actions()) {
      actions.add(
          new Action(
              0,
              0,
              seq++,
              p.kind(),
              p.targetJobId(),
              p.nodes(),
              ActionState.PENDING,
              0,
              "",
              null,
              null));
    }
    return actions;
  }
}
