package dev.ajr.core.recovery;

import dev.ajr.core.policy.Operation;
import java.time.Instant;
import java.util.List;

/**
 * A durable decision for one attempt (the reference system's "advice"). Written before any of its
 * actions is taken.
 *
 * @param id the store's id, 0 before it is stored
 * @param anomalyId the anomaly that led to it
 * @param stopsJob true when the job is marked stopped once the actions are done
 * @param stopReason the job's status reason in that case
 * @param finishedAt when the last action was verified (or failed for good), null before
 */
public record Decision(
    long id,
    long jobId,
    int attemptIndex,
    Operation operation,
    List<String> reasons,
    long anomalyId,
    DecisionState state,
    boolean stopsJob,
    String stopReason,
    Instant createdAt,
    Instant finishedAt) {

  public Decision {
    reasons = List.copyOf(reasons);
  }

  public Decision withState(DecisionState newState, Instant finished) {
    return new Decision(
        id,
        jobId,
        attemptIndex,
        operation,
        reasons,
        anomalyId,
        newState,
        stopsJob,
        stopReason,
        createdAt,
        finished);
  }

  public Decision withId(long newId) {
    return new Decision(
        newId,
        jobId,
        attemptIndex,
        operation,
        reasons,
        anomalyId,
        state,
        stopsJob,
        stopReason,
        createdAt,
        finishedAt);
  }
}
