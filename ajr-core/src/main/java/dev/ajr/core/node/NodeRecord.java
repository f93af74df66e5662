package dev.ajr.core.node;

import java.time.Instant;

/**
 * What ajr knows about a node.
 *
 * @param reason why it has its health, in words (empty when OK)
 * @param evidence the log line that led to it, or empty
 * @param anomalyId the anomaly that led to it, or 0
 * @param since when it got this health
 */
public record NodeRecord(
    String name, NodeHealth health, String reason, String evidence, long anomalyId, Instant since) {

  public static NodeRecord ok(String name, Instant since) {
    return new NodeRecord(name, NodeHealth.OK, "", "", 0, since);
  }

  public NodeRecord with(NodeHealth newHealth, String newReason, Instant at) {
    return new NodeRecord(name, newHealth, newReason, evidence, anomalyId, at);
  }
}
