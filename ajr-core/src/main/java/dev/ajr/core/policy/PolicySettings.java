package dev.ajr.core.policy;

import java.time.Duration;

/**
 * The administrator's knobs of the history-aware rules of {@link RecoveryPolicy}. A limit of 0
 * turns its rule off.
 *
 * @param maxPerCause recoveries for the same root cause ({@code recovery.max-per-cause})
 * @param resetOnProgress whether an attempt that saved a newer checkpoint (or reached a higher
 *     iteration, for a job without checkpoint lines) starts the budget again ({@code
 *     recovery.reset-on-progress})
 * @param stopWithoutCheckpoint attempts in a row without a new checkpoint that stop a job that
 *     writes checkpoints ({@code recovery.stop-without-checkpoint})
 * @param earlyStopAttempts attempts in a row that died soon after starting that stop the job
 *     ({@code recovery.early-stop-attempts})
 * @param earlyStopWithin how soon after starting an attempt counts as dying early ({@code
 *     recovery.early-stop-within})
 * @param jobStormLimit restarts of one job within {@code stormWindow} ({@code
 *     recovery.job-storm-limit})
 * @param clusterStormLimit restarts by ajr on the whole cluster within {@code stormWindow} ({@code
 *     recovery.cluster-storm-limit})
 * @param stormWindow the window of the restart-storm limits ({@code recovery.storm-window})
 */
public record PolicySettings(
    int maxPerCause,
    boolean resetOnProgress,
    int stopWithoutCheckpoint,
    int earlyStopAttempts,
    Duration earlyStopWithin,
    int jobStormLimit,
    int clusterStormLimit,
    Duration stormWindow) {

  public static final PolicySettings DEFAULTS =
      new PolicySettings(3, true, 3, 3, Duration.ofMinutes(5), 5, 50, Duration.ofHours(1));

  public PolicySettings {
    if (maxPerCause < 0
        || stopWithoutCheckpoint < 0
        || earlyStopAttempts < 0
        || jobStormLimit < 0
        || clusterStormLimit < 0) {
      throw new IllegalArgumentException("policy limits must not be negative");
    }
    if (earlyStopWithin.isNegative() || stormWindow.isNegative()) {
      throw new IllegalArgumentException("policy durations must not be negative");
    }
  }
}
