package dev.ajr.core.policy;

/** What a decision does to the job (the reference system's "advice" operations). */
public enum Operation {
  /** Requeue the same job id and let it run again. */
  RESTART,
  /** End the job; nothing else. */
  TERMINATE,
  /** Do not restart: end the failing attempt if it still runs, and mark the job stopped. */
  STOP,
  /** End the failed job and release its held successor (singleton chains). */
  RELEASE,
  /** Nothing to do; the reasons say why. */
  NONE
}
