package dev.ajr.core.detect;

/** What a diagnosis recommends; README.md's cause table gives each cause's default. */
public enum RecoveryAction {
  /** Restart the job, on the same or any nodes. */
  REQUEUE,
  /** Restart the job without the attributed node; drain it only on trusted evidence. */
  REQUEUE_EXCLUDE_NODE,
  /** Do not restart: the same failure would happen again. */
  STOP,
  /** Nothing to do. */
  NONE
}
