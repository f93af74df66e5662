package dev.ajr.core.recovery;

/**
 * Where one scheduler operation stands. ISSUED is written before the command is sent, VERIFIED
 * after a fresh look at the scheduler shows its effect.
 */
public enum ActionState {
  PENDING,
  ISSUED,
  VERIFIED,
  FAILED,
  /** Not sent: the job's partition is only observed. */
  SKIPPED
}
