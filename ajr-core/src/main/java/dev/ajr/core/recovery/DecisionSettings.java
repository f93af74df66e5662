package dev.ajr.core.recovery;

import dev.ajr.core.job.RequeueLimits;
import dev.ajr.core.policy.PolicySettings;
import java.time.Duration;
import java.util.Objects;

/**
 * How the {@link AnomalyHandler} decides: what the policy is given, where ajr acts, and how long a
 * cascade symptom waits.
 *
 * @param limits the administrator's requeue limits (default and cap of {@code max_requeue_times})
 * @param policy the knobs of the policy's history-aware rules (budgets per cause, progress, early
 *     deaths, restart storms)
 * @param mode which partitions ajr acts on; on the others decisions are only recorded
 * @param cascadeSettle how long a cascade symptom waits for an initiating error of the same attempt
 *     before it is decided on ({@link AnomalyHandler#decideSettled}); zero decides at once
 */
public record DecisionSettings(
    RequeueLimits limits, PolicySettings policy, RecoveryMode mode, Duration cascadeSettle) {

  public DecisionSettings {
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(cascadeSettle, "cascadeSettle");
  }
}
