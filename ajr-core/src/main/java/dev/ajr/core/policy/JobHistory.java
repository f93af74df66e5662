package dev.ajr.core.policy;

import dev.ajr.core.detect.Cause;
import dev.ajr.core.progress.AttemptProgress;
import java.time.Instant;
import java.util.List;

/**
 * What happened to a job before the attempt the policy decides about: its earlier runs, what ajr
 * did after each, and the progress each showed. Immutable; built by the caller from the store.
 *
 * @param earlier the job's earlier runs, oldest first: the attempts of the same job id before the
 *     failed one, or, in a singleton chain, the earlier jobs of the chain
 * @param failed the progress the failed attempt itself showed
 */
public record JobHistory(List<Run> earlier, AttemptProgress failed) {

  public JobHistory {
    earlier = List.copyOf(earlier);
  }

  /** A job with no earlier run and no progress lines. */
  public static JobHistory none(int failedIndex) {
    return new JobHistory(List.of(), AttemptProgress.none(failedIndex));
  }

  /**
   * One earlier run of the job.
   *
   * @param jobId the job id of the run (an earlier link's in a singleton chain)
   * @param attemptIndex its attempt index (Slurm's restart count)
   * @param startTime when it started, or null when unknown
   * @param endTime when it ended, or null when unknown
   * @param progress the checkpoints and iterations its output showed
   * @param restartedAt when ajr decided to restart the job after this run (a RESTART or RELEASE
   *     decision that did not fail), or null when ajr did not restart it
   * @param cause the root cause of the anomaly that decision was about, or null when unknown or no
   *     restart
   * @param charged whether that restart counted against the job's budget: the {@link
   *     dev.ajr.core.detect.Anomaly#charged} of the anomaly it was about (not for preemption and
   *     node failure)
   */
  public record Run(
      long jobId,
      int attemptIndex,
      Instant startTime,
      Instant endTime,
      AttemptProgress progress,
      Instant restartedAt,
      Cause cause,
      boolean charged) {

    /** Whether ajr restarted the job after this run. */
    public boolean restarted() {
      return restartedAt != null;
    }
  }
}
