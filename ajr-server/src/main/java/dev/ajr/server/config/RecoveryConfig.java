package dev.ajr.server.config;

import dev.ajr.core.job.RequeueLimits;
import dev.ajr.core.policy.PolicySettings;
import dev.ajr.core.progress.HangSettings;
import dev.ajr.core.recovery.ExecutorSettings;
import dev.ajr.core.recovery.RecoveryMode;
import java.time.Duration;

/**
 * How ajr decides and acts.
 *
 * @param limits the default and the cap of a job's recoveries
 * @param mode act or observe, and the partitions acted on
 * @param policy the policy's budgets and storm limits
 * @param cascadeSettle how long a cascade symptom waits for its initiating error
 * @param executor the timing of actions on Slurm
 * @param hang when an attempt counts as hung
 */
public record RecoveryConfig(
    RequeueLimits limits,
    RecoveryMode mode,
    PolicySettings policy,
    Duration cascadeSettle,
    ExecutorSettings executor,
    HangSettings hang) {}
