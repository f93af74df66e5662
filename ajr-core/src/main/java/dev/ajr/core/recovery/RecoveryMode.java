package dev.ajr.core.recovery;

import java.util.Set;

/**
 * Whether ajr acts on a job's partition or only observes it: in observe mode decisions are made and
 * recorded with the actions they would take, and Slurm is never touched. Operators start in observe
 * mode, then let ajr act on an allow-list of partitions.
 *
 * @param observeAll true when no partition is acted on ({@code recovery.mode: observe})
 * @param actPartitions the partitions acted on; empty means every partition (when acting)
 */
public record RecoveryMode(boolean observeAll, Set<String> actPartitions) {

  public static final RecoveryMode ACT_EVERYWHERE = new RecoveryMode(false, Set.of());

  public RecoveryMode {
    actPartitions = Set.copyOf(actPartitions);
  }

  public boolean actsOn(String partition) {
    return !observeAll && (actPartitions.isEmpty() || actPartitions.contains(partition));
  }

  /** Why ajr only observes the partition, for the decision's reasons. */
  public String observeReason(String partition) {
    return observeAll
        ? "observe mode: ajr decided but did not act (recovery.mode is observe)"
        : "observe mode: ajr decided but did not act (partition "
            + partition
            + " is not in recovery.act-partitions)";
  }
}
