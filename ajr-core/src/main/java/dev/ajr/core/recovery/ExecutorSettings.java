package dev.ajr.core.recovery;

import java.time.Duration;

/**
 * Timing of the recovery executor.
 *
 * @param verifyPoll how often the scheduler is looked at while waiting for an effect
 * @param verifyTimeout how long one command may take to show its effect before it is sent again
 * @param actionDeadline how long one action may keep failing before the decision fails (a
 *     controller that is down for less than this delays recovery, it does not lose it)
 * @param maxBackoff the longest wait between two tries
 * @param restartDelay how long after a requeue the job may start again. Slurm's node daemon refuses
 *     to launch a job whose credential was revoked (by the kill of the requeue) in the same second,
 *     failing the new attempt at once, so a restart waits for the next second at least; Slurm's own
 *     delay is about two minutes.
 */
public record ExecutorSettings(
    Duration verifyPoll,
    Duration verifyTimeout,
    Duration actionDeadline,
    Duration maxBackoff,
    Duration restartDelay) {

  public static final ExecutorSettings DEFAULTS =
      new ExecutorSettings(
          Duration.ofMillis(200),
          Duration.ofSeconds(20),
          Duration.ofMinutes(10),
          Duration.ofSeconds(10),
          Duration.ofSeconds(1));
}
