package dev.ajr.core.policy;

/**
 * What a decision does to the job (the reference system's "advice" operations): the kind of a
 * {@link DecisionPlan}, stored with each decision by its name.
 */
public enum Operation {
  /** Requeue the same job id and let it run again ({@link DecisionPlan.Restart}). */
  RESTART,
  /**
   * Do not restart: end the failing attempt if it still runs, and mark the job stopped ({@link
   * DecisionPlan.Stop}).
   */
  STOP,
  /**
   * End the failed job and release its held successor (singleton chains; {@link
   * DecisionPlan.ReleaseSuccessor}).
   */
  RELEASE,
  /** Nothing to do; the reasons say why ({@link DecisionPlan.NoAction}). */
  NONE
}
