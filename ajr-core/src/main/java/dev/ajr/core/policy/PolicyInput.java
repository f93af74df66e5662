package dev.ajr.core.policy;

import dev.ajr.core.detect.Anomaly;
import dev.ajr.core.job.Attempt;
import dev.ajr.core.job.Job;
import dev.ajr.core.job.RequeueLimits;
import java.util.OptionalLong;

/**
 * Everything the policy looks at for one anomaly.
 *
 * @param attempt the attempt the anomaly was found in
 * @param currentAttempt true when no later attempt of the job exists
 * @param recoveriesSoFar recoveries already charged to this job's budget (requeues of this job id,
 *     or earlier links of its singleton chain)
 * @param totalRecoveries all recoveries so far, charged or not (preemption, node failure)
 * @param heldSuccessor the held same-name successor of a singleton chain, if there is one
 */
public record PolicyInput(
    Job job,
    Attempt attempt,
    boolean currentAttempt,
    Anomaly anomaly,
    int recoveriesSoFar,
    OptionalLong heldSuccessor,
    RequeueLimits limits,
    int totalRecoveries) {

  /** An input where every recovery so far was charged to the job. */
  public PolicyInput(
      Job job,
      Attempt attempt,
      boolean currentAttempt,
      Anomaly anomaly,
      int recoveriesSoFar,
      OptionalLong heldSuccessor,
      RequeueLimits limits) {
    this(
        job,
        attempt,
        currentAttempt,
        anomaly,
        recoveriesSoFar,
        heldSuccessor,
        limits,
        recoveriesSoFar);
  }
}
