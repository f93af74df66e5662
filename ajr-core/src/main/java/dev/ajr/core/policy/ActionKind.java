package dev.ajr.core.policy;

/** One scheduler operation of a decision. */
public enum ActionKind {
  /** End the running attempt and requeue the job held ({@code scontrol requeuehold}). */
  REQUEUE_HOLD,
  /** Keep the job off the attributed nodes ({@code scontrol update ExcNodeList}). */
  EXCLUDE_NODES,
  /** Release a held job ({@code scontrol release}). */
  RELEASE,
  /** Let a requeued job start at once instead of after Slurm's requeue delay. */
  START_NOW,
  /** End the job ({@code scancel}). */
  CANCEL
}
