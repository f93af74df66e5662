package dev.ajr.core.job;

/**
 * The state of one attempt (one run of a job id). Final states are never changed back by what the
 * scheduler shows later; only ajr's own record that it {@link #KILLED} an attempt overrides another
 * final state.
 */
public enum AttemptState {
  /** Waiting to run; held attempts are pending too, with a hold reason. */
  PENDING,
  RUNNING,
  COMPLETED,
  FAILED,
  CANCELLED,
  TIMEOUT,
  NODE_FAIL,
  PREEMPTED,
  OUT_OF_MEMORY,
  /** Requeued by the scheduler or a person, not by ajr. */
  REQUEUED,
  /** Ended by ajr because of an anomaly; the attempt's end reason names it. */
  KILLED,
  /** The scheduler forgot the job before ajr saw how this attempt ended. */
  UNKNOWN;

  public boolean isFinal() {
    return this != PENDING && this != RUNNING;
  }
}
