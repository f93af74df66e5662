package dev.ajr.core.node;

import dev.ajr.core.detect.Anomaly;
import dev.ajr.core.detect.Cause;
import dev.ajr.core.detect.Evidence;
import dev.ajr.core.detect.RecoveryAction;
import java.time.Instant;

/**
 * A finding that may point at a node: an anomaly of a job, or a kernel line of a node no job ran
 * on.
 *
 * @param jobId the job it was found for, or 0
 * @param anomalyId the stored anomaly, or 0
 * @param action what its rule recommends; only REQUEUE_EXCLUDE_NODE points at the node
 * @param evidence where the line came from: only trusted evidence may drain on its own
 */
public record NodeEvidence(
    String node,
    long jobId,
    long anomalyId,
    Cause cause,
    String ruleId,
    RecoveryAction action,
    String line,
    Evidence evidence,
    Instant at) {

  public static NodeEvidence of(Anomaly a) {
    return new NodeEvidence(
        a.node() == null ? "" : a.node(),
        a.jobId(),
        a.id(),
        a.cause(),
        a.ruleId(),
        a.action(),
        a.line(),
        a.evidence(),
        a.detectedAt());
  }

  /** Whether the finding names a node and its rule says the node is at fault. */
  public boolean pointsAtNode() {
    return !node.isBlank() && action == RecoveryAction.REQUEUE_EXCLUDE_NODE;
  }
}
