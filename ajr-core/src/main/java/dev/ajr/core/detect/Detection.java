package dev.ajr.core.detect;

/**
 * A line matched a rule.
 *
 * @param ruleId the rule's stable id, for example {@code crash.segfault}
 * @param type the anomaly it indicates
 * @param cause the diagnosed cause
 */
public record Detection(String ruleId, AnomalyType type, Cause cause) {}
