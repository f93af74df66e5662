package dev.ajr.core.policy;

import dev.ajr.core.detect.Anomaly;
import dev.ajr.core.job.Attempt;
import dev.ajr.core.job.Job;
import dev.ajr.core.job.RequeueLimits;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * Everything the policy looks at for one anomaly. The policy reads no clock: {@code now} is the
 * time of the decision.
 *
 * @param attempt the attempt the anomaly was found in
 * @param currentAttempt true when no later attempt of the job exists
 * @param heldSuccessor the held same-name successor of a singleton chain, if there is one
 * @param history the job's earlier runs, ajr's restarts after them, and the progress of each
 * @param now the time of the decision
 * @param clusterRestartsInWindow restarts ajr made on the whole cluster within the settings' storm
 *     window before {@code now}
 */
public record PolicyInput(
    Job job,
    Attempt attempt,
    boolean currentAttempt,
    Anomaly anomaly,
    OptionalLong heldSuccessor,
    RequeueLimits limits,
    JobHistory history,
    Instant now,
    int clusterRestartsInWindow,
    PolicySettings settings) {}
