package dev.ajr.server.config;

import java.time.Duration;

/**
 * How ajr talks to Slurm.
 *
 * @param pollInterval how often {@code squeue --json} is read
 * @param commandTimeout how long one Slurm command may take before it counts as failed
 */
public record SlurmConfig(Duration pollInterval, Duration commandTimeout) {}
