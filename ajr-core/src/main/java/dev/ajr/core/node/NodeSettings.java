package dev.ajr.core.node;

import java.time.Duration;

/**
 * When ajr drains nodes.
 *
 * @param drain whether ajr drains nodes at all (off: nodes only become suspect)
 * @param lemonJobs a node implicated by failures of this many different jobs within {@code
 *     lemonWindow} is drained even on untrusted evidence (independent corroboration)
 * @param maxDrains never more drains than this within {@code drainWindow}
 * @param maxDrainShare nor more than this share of the cluster's nodes (at least one)
 */
public record NodeSettings(
    boolean drain,
    int lemonJobs,
    Duration lemonWindow,
    int maxDrains,
    double maxDrainShare,
    Duration drainWindow) {

  public static final NodeSettings DEFAULTS =
      new NodeSettings(true, 3, Duration.ofHours(24), 10, 0.05, Duration.ofHours(1));

  /** The most drains allowed within the window on a cluster of {@code nodes} nodes. */
  public int drainLimit(int nodes) {
    return Math.min(maxDrains, Math.max(1, (int) Math.floor(maxDrainShare * nodes)));
  }
}
