package dev.ajr.core.node;

/** A node's health as ajr sees it, from nothing against it to drained by ajr. */
public enum NodeHealth {
  /** Nothing against it. */
  OK,
  /** Implicated, but the evidence does not justify a drain (untrusted, or drains are held). */
  SUSPECT,
  /** ajr decided to drain it and is doing so (the step is resumed after a restart of ajr). */
  DRAINING,
  /** Drained by ajr, with the reason and evidence. */
  DRAINED,
  /** Drained and handed to the hardware-recovery service; back in service when it reports. */
  IN_REPAIR
}
