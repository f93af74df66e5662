package dev.ajr.core.job;

/**
 * A job's status as ajr sees it. {@link #STOPPED} means ajr ended the job and will not restart it
 * (for example the requeue limit is reached); the job's status reason says why.
 */
public enum JobStatus {
  PENDING,
  RUNNING,
  /** ajr is carrying out a recovery decision on the job. */
  RECOVERING,
  COMPLETED,
  FAILED,
  CANCELLED,
  STOPPED,
  /** Slurm forgot the job (after {@code MinJobAge}) before ajr saw how it ended. */
  LOST;

  public boolean isFinal() {
    return this == COMPLETED
        || this == FAILED
        || this == CANCELLED
        || this == STOPPED
        || this == LOST;
  }
}
