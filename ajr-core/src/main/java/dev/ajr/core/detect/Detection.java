package dev.ajr.core.detect;

/**
 * A line matched a rule.
 *
 * @param ruleId the rule's stable id, for example {@code crash.segfault}
 * @param type the anomaly it indicates
 * @param cause the diagnosed cause
 * @param action what the rule recommends
 * @param node the host the line names or comes from, or null when it does not say
 * @param cascade true when the line is usually a symptom of another failure (an NCCL timeout, an
 *     elastic summary): an initiating error printed soon after it is preferred
 * @param charged whether a recovery after it counts against the job's budget (the rule's {@code
 *     charged}; false when the failure is not the job's fault)
 * @param repeat how many such lines make the anomaly ({@link Repeat#ONCE} for most rules)
 */
public record Detection(
    String ruleId,
    AnomalyType type,
    Cause cause,
    RecoveryAction action,
    String node,
    boolean cascade,
    boolean charged,
    Repeat repeat) {

  /** A detection that one line makes. */
  public Detection(
      String ruleId,
      AnomalyType type,
      Cause cause,
      RecoveryAction action,
      String node,
      boolean cascade,
      boolean charged) {
    this(ruleId, type, cause, action, node, cascade, charged, Repeat.ONCE);
  }
}
