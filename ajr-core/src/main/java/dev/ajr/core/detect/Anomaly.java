package dev.ajr.core.detect;

import java.time.Instant;

/**
 * An anomaly found in one attempt of a job.
 *
 * @param id the store's id, 0 before it is stored
 * @param action what the matching rule recommends
 * @param line the root log line
 * @param source where the line was read
 * @param lineNumber 1-based line number in its source
 * @param node the node the line is attributed to, or empty when unknown
 * @param lineWrittenAt when the line was written as far as ajr can tell, or null when unknown
 * @param lineReadAt when the line was read
 * @param detectedAt when the anomaly was recorded
 * @param evidence what kind of log the root line is from; only trusted evidence may drain a node
 * @param charged whether a recovery after it counts against the job's budget of recoveries (its
 *     rule's {@code charged}); false when the failure is not the job's fault (preemption, node
 *     failure)
 */
public record Anomaly(
    long id,
    long jobId,
    int attemptIndex,
    AnomalyType type,
    Cause cause,
    String ruleId,
    RecoveryAction action,
    String line,
    String source,
    long lineNumber,
    String node,
    Instant lineWrittenAt,
    Instant lineReadAt,
    Instant detectedAt,
    Evidence evidence,
    boolean charged) {

  /** An anomaly charged to the job's budget, as the failures of most rules are. */
  public Anomaly(
      long id,
      long jobId,
      int attemptIndex,
      AnomalyType type,
      Cause cause,
      String ruleId,
      RecoveryAction action,
      String line,
      String source,
      long lineNumber,
      String node,
      Instant lineWrittenAt,
      Instant lineReadAt,
      Instant detectedAt,
      Evidence evidence) {
    this(
        id,
        jobId,
        attemptIndex,
        type,
        cause,
        ruleId,
        action,
        line,
        source,
        lineNumber,
        node,
        lineWrittenAt,
        lineReadAt,
        detectedAt,
        evidence,
        true);
  }

  public Anomaly withId(long newId) {
    return new Anomaly(
        newId,
        jobId,
        attemptIndex,
        type,
        cause,
        ruleId,
        action,
        line,
        source,
        lineNumber,
        node,
        lineWrittenAt,
        lineReadAt,
        detectedAt,
        evidence,
        charged);
  }
}
