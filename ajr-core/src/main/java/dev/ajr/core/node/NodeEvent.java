package dev.ajr.core.node;

import java.time.Instant;

/**
 * One entry of a node's history, for the audit trail and for counting (lemons, blast radius).
 *
 * @param jobId the job whose failure implicated the node, or 0
 * @param anomalyId the anomaly, or 0
 * @param actor who did it: {@code ajr}, or the user who undrained the node
 */
public record NodeEvent(
    long id,
    String node,
    Instant at,
    Kind kind,
    String reason,
    long jobId,
    long anomalyId,
    String actor) {

  /** What happened. */
  public enum Kind {
    /** A failure pointed at the node. */
    IMPLICATED,
    /** The node became suspect. */
    SUSPECT,
    /** ajr decided to drain it. */
    DRAIN_PLANNED,
    /** The drain is in effect. */
    DRAINED,
    /** A drain was justified but held back (blast-radius limit) or only observed. */
    DRAIN_HELD,
    /** The drain could not be carried out. */
    DRAIN_FAILED,
    /** The node was handed to the hardware-recovery service. */
    REPAIR_REQUESTED,
    /** Back in service. */
    RESUMED
  }
}
