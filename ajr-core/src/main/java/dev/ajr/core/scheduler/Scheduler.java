package dev.ajr.core.scheduler;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The port to the workload manager. Commands are requests: the caller verifies their effect with a
 * fresh {@link #job(long)} look, since the scheduler may apply them late or not at all.
 * Implementations are thread-safe.
 */
public interface Scheduler {

  /**
   * Every job the scheduler still knows, in every state, including jobs that ended recently (Slurm
   * keeps them for {@code MinJobAge}), so a job that starts and ends between two calls is seen.
   */
  List<SchedulerJob> jobs() throws SchedulerException;

  /** A fresh look at one job, or empty when the scheduler no longer knows it. */
  Optional<SchedulerJob> job(long jobId) throws SchedulerException;

  /**
   * What the scheduler's accounting remembers of a job the controller no longer knows (it ended
   * longer ago than the controller keeps jobs), or empty when there is no accounting or it does not
   * know the job either. Such a record may lack what only the controller keeps (name, comment,
   * output paths: empty then), but its state, exit code, times, nodes and restart count are the
   * scheduler's. The default has no accounting.
   */
  default Optional<SchedulerJob> fromAccounting(long jobId) throws SchedulerException {
    return Optional.empty();
  }

  /** Ends the running attempt and puts the job back in the queue, held. */
  void requeueHold(long jobId) throws SchedulerException;

  /** Releases a held job. */
  void release(long jobId) throws SchedulerException;

  /**
   * Lets a pending job start after {@code delay} (zero: at once) instead of after Slurm's requeue
   * delay of about two minutes. The delay is counted by the scheduler's clock.
   */
  void startAfter(long jobId, Duration delay) throws SchedulerException;

  /** Ends the job. */
  void cancel(long jobId) throws SchedulerException;

  /** Keeps the job off these nodes from its next start. */
  void excludeNodes(long jobId, List<String> nodes) throws SchedulerException;
}
