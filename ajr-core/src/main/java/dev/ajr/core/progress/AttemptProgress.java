package dev.ajr.core.progress;

/**
 * What an attempt's output showed of the training moving forward, for the recovery policy.
 *
 * @param attemptIndex the attempt
 * @param checkpointsSaved how many checkpoint-saved lines the attempt wrote
 * @param highestCheckpoint the highest iteration a saved checkpoint named, or -1 when none named
 *     one
 * @param highestIteration the highest iteration its progress lines named, or -1 when none did
 */
public record AttemptProgress(
    int attemptIndex, int checkpointsSaved, long highestCheckpoint, long highestIteration) {

  /** An attempt that showed no progress at all. */
  public static AttemptProgress none(int attemptIndex) {
    return new AttemptProgress(attemptIndex, 0, -1, -1);
  }

  /** This attempt's progress together with another's (the attempts of a job, a chain's links). */
  public AttemptProgress plus(AttemptProgress other) {
    return new AttemptProgress(
        attemptIndex,
        checkpointsSaved + other.checkpointsSaved,
        Math.max(highestCheckpoint, other.highestCheckpoint),
        Math.max(highestIteration, other.highestIteration));
  }
}
