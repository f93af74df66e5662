package dev.ajr.core.recovery;

import dev.ajr.core.policy.ActionKind;
import dev.ajr.core.scheduler.SchedulerJob;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether the scheduler already shows the effect of an action. Used both before a command is sent
 * (so a resumed action is never repeated) and after (to verify it). Pure.
 */
public final class ActionChecks {

  /** A begin time at most this far ahead counts as "start now". */
  static final Duration START_SOON = Duration.ofSeconds(15);

  private ActionChecks() {}

  /**
   * True when the effect is in place.
   *
   * @param attemptIndex the attempt the decision was made for
   * @param job a fresh look at the target job, or empty when the scheduler no longer knows it
   */
  public static boolean satisfied(
      Action action, int attemptIndex, Optional<SchedulerJob> job, Instant now) {
    if (job.isEmpty()) {
      // A job the scheduler forgot cannot be requeued or released; only an end is in effect.
      return action.kind() == ActionKind.CANCEL;
    }
    SchedulerJob j = job.get();
    return switch (action.kind()) {
      // The requeue is complete once the restart count moved and the old run is no longer
      // completing: only then does Slurm stop resetting the job's begin time.
      case REQUEUE_HOLD -> j.restartCount() > attemptIndex && !"COMPLETING".equals(j.state());
      case RELEASE -> !j.held();
      // Slurm delays a requeued job by about two minutes (its eligible time); ajr's own short
      // restart delay (a few seconds) counts as started soon.
      case START_NOW ->
          !j.isPending() || j.beginTime() == null || !j.beginTime().isAfter(now.plus(START_SOON));
      case CANCEL -> j.isFinished() || j.restartCount() > attemptIndex && !j.isRunning();
      case EXCLUDE_NODES -> j.excludedNodes().containsAll(action.nodes());
    };
  }

  /**
   * Why the action must not be sent now, or empty when it may. Slurm requeues even a finished job,
   * so a job someone cancelled is never requeued: ajr does not undo a cancel.
   */
  public static Optional<String> refusal(Action action, int attemptIndex, SchedulerJob job) {
    if (action.kind() == ActionKind.REQUEUE_HOLD
        && job.restartCount() == attemptIndex
        && ("CANCELLED".equals(job.state()) || "COMPLETED".equals(job.state()))) {
      return Optional.of(
          "job "
              + job.jobId()
              + " is "
              + job.state()
              + "; ajr does not requeue a job that was cancelled or completed");
    }
    return Optional.empty();
  }

  /** A short description of what the scheduler shows, for the action's outcome. */
  public static String describe(Optional<SchedulerJob> job) {
    if (job.isEmpty()) {
      return "the scheduler no longer knows the job";
    }
    SchedulerJob j = job.get();
    StringBuilder text = new StringBuilder("job ").append(j.jobId()).append(' ').append(j.state());
    if (!j.stateReason().isEmpty() && !"None".equals(j.stateReason())) {
      text.append(" (").append(j.stateReason()).append(')');
    }
    if (j.held()) {
      text.append(", held");
    }
    text.append(", restart count ").append(j.restartCount());
    return text.toString();
  }
}
