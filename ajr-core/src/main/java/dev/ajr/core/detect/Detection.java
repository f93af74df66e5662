package dev.ajr.core.detect;

/**
 * A line matched a rule.
 *
 * @param ruleId the rule's stable id, for example {@code crash.segfault}
 * @param type the anomaly it indicates
 * @param cause the diagnosed cause
 * @param action what the rule recommends
 * @param node the host the line names or comes from, or null when it does not say
 */
public record Detection(
    String ruleId, AnomalyType type, Cause cause, RecoveryAction action, String node) {}
