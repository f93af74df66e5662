package dev.ajr.core.tracking;

import dev.ajr.core.job.AttemptState;
import dev.ajr.core.job.JobStatus;
import dev.ajr.core.scheduler.SchedulerJob;

/** Maps what Slurm says to ajr's states. Pure. */
public final class JobStatuses {

  private JobStatuses() {}

  public static JobStatus jobStatus(SchedulerJob job) {
    if (job.isPending() || "REQUEUED".equals(job.state()) || "SUSPENDED".equals(job.state())) {
      return JobStatus.PENDING;
    }
    if (job.isRunning()) {
      return JobStatus.RUNNING;
    }
    return switch (job.state()) {
      case "COMPLETED" -> JobStatus.COMPLETED;
      case "CANCELLED" -> JobStatus.CANCELLED;
      default -> JobStatus.FAILED;
    };
  }

  /** The state of the job's current attempt. */
  public static AttemptState attemptState(SchedulerJob job) {
    if (job.isPending() || "SUSPENDED".equals(job.state())) {
      return AttemptState.PENDING;
    }
    if (job.isRunning()) {
      return AttemptState.RUNNING;
    }
    return switch (job.state()) {
      case "COMPLETED" -> AttemptState.COMPLETED;
      case "CANCELLED" -> AttemptState.CANCELLED;
      case "TIMEOUT", "DEADLINE" -> AttemptState.TIMEOUT;
      case "NODE_FAIL", "BOOT_FAIL" -> AttemptState.NODE_FAIL;
      case "PREEMPTED" -> AttemptState.PREEMPTED;
      case "OUT_OF_MEMORY" -> AttemptState.OUT_OF_MEMORY;
      case "REQUEUED" -> AttemptState.REQUEUED;
      default -> AttemptState.FAILED;
    };
  }
}
