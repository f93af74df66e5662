package dev.ajr.core.progress;

/**
 * A line that shows the training moving: an iteration done, a checkpoint saved or loaded.
 *
 * @param iteration the iteration (step) number the line names, or -1 when it names none
 * @param secondsPerIteration the iteration time the line reports, or NaN when it reports none
 * @param rank the rank the line comes from, or -1 when unknown
 */
public record ProgressEvent(Kind kind, long iteration, double secondsPerIteration, int rank) {

  /** What the line shows. */
  public enum Kind {
    ITERATION,
    CHECKPOINT_SAVED,
    CHECKPOINT_LOADED
  }
}
