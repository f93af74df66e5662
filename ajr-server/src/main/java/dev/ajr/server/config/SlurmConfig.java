package dev.ajr.server.config;

import dev.ajr.slurm.SlurmCliScheduler.ListingFormat;
import dev.ajr.slurm.rest.SlurmRestSettings;
import java.time.Duration;

/**
 * How ajr talks to Slurm.
 *
 * @param pollInterval how often the queue is read when reading it is quick
 * @param maxPollShare the largest share of the time spent reading the queue, more than 0, at most 1
 * @param listingFormat how the queue is read with {@code squeue}
 * @param commandTimeout how long one Slurm command, or one request to slurmrestd, may take before
 *     it counts as failed
 * @param trackingPath through what the jobs are read
 * @param rest slurmrestd's address and the token, for {@link TrackingPath#REST}; null otherwise
 */
public record SlurmConfig(
    Duration pollInterval,
    double maxPollShare,
    ListingFormat listingFormat,
    Duration commandTimeout,
    TrackingPath trackingPath,
    SlurmRestSettings rest) {

  /** Through what ajr reads Slurm's jobs. */
  public enum TrackingPath {
    /** Slurm's commands: {@code squeue}, {@code scontrol}, {@code sacct}. The default. */
    CLI,
    /** slurmrestd; acting on jobs and the accounting still go through the commands. */
    REST
  }
}
