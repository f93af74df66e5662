package dev.ajr.core.scheduler;

/**
 * A scheduler command failed. {@link #transientFailure()} is true when trying again later may work
 * (the controller did not answer, a command timed out); false when the scheduler refused the
 * request.
 */
public class SchedulerException extends Exception {

  private final boolean transientFailure;

  public SchedulerException(String message, boolean transientFailure) {
    super(message);
    this.transientFailure = transientFailure;
  }

  public SchedulerException(String message, boolean transientFailure, Throwable cause) {
    super(message, cause);
    this.transientFailure = transientFailure;
  }

  public boolean transientFailure() {
    return transientFailure;
  }
}
