package dev.ajr.server.config;

import dev.ajr.slurm.SlurmCliScheduler.ListingFormat;
import java.time.Duration;

/**
 * How ajr talks to Slurm.
 *
 * @param pollInterval how often the queue is read when reading it is quick
 * @param maxPollShare the largest share of the time spent reading the queue, more than 0, at most 1
 * @param listingFormat how the queue is read
 * @param commandTimeout how long one Slurm command may take before it counts as failed
 */
public record SlurmConfig(
    Duration pollInterval,
    double maxPollShare,
    ListingFormat listingFormat,
    Duration commandTimeout) {}
