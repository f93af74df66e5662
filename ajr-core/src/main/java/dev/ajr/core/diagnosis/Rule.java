package dev.ajr.core.diagnosis;

import dev.ajr.core.detect.AnomalyType;
import dev.ajr.core.detect.Cause;
import dev.ajr.core.detect.RecoveryAction;
import dev.ajr.core.detect.Repeat;
import java.util.List;

/**
 * One diagnosis rule: when a line contains one of the literals (case-insensitive) and matches one
 * of the patterns, it shows this cause.
 *
 * <p>Patterns may name groups {@code node}, {@code pci}, {@code gpu} and {@code rank}; what they
 * capture is attributed to the finding. Patterns are matched in linear time ({@link RulePattern}).
 *
 * @param id stable id, for example {@code gpu.xid.fallen-off-bus}
 * @param type the anomaly type, or null for a BENIGN rule (a line known to be harmless)
 * @param action the default action for this cause
 * @param priority higher first when several rules match one line
 * @param cascade true for symptoms that follow another failure (NCCL watchdog timeouts, elastic
 *     summaries): an initiating error in the same window is preferred as the root
 * @param charged whether a recovery after this failure counts against the job's budget of
 *     recoveries; false for failures that are not the job's fault (preemption, node failure)
 * @param repeat how many matching lines of one output make a finding ({@link Repeat#ONCE} but for
 *     lines that are normal now and then and a failure when they keep coming)
 * @param literals lowercase strings one of which every matching line contains; empty means the
 *     patterns run on every line (slow: avoid). A line of ordinary training output that contains a
 *     literal costs a run of the patterns, so literals are phrases, not common words
 * @param patterns the expressions, one of which a matching line matches
 * @param unless expressions none of which a matching line may match anywhere: what a lookahead such
 *     as {@code (?!Aborted)} said in a backtracking engine, said for the whole line
 * @param matchExamples lines the rule must match (checked by the build)
 * @param noMatchExamples lines the rule must not match
 * @param file where the rule was defined
 */
public record Rule(
    String id,
    Cause cause,
    AnomalyType type,
    RecoveryAction action,
    Severity severity,
    int priority,
    boolean cascade,
    boolean charged,
    Repeat repeat,
    List<String> literals,
    List<RulePattern> patterns,
    List<RulePattern> unless,
    List<String> matchExamples,
    List<String> noMatchExamples,
    String description,
    String file) {

  public Rule {
    literals = List.copyOf(literals);
    patterns = List.copyOf(patterns);
    unless = List.copyOf(unless);
    matchExamples = List.copyOf(matchExamples);
    noMatchExamples = List.copyOf(noMatchExamples);
  }

  /** True when the rule's action is NONE: a benign rule, or an advisory finding of a real cause. */
  public boolean benign() {
    return action == RecoveryAction.NONE;
  }

  /**
   * True for a rule of cause BENIGN: it says that a line another rule matches is harmless after
   * all, and is consulted only then.
   */
  public boolean marksHarmless() {
    return cause == Cause.BENIGN;
  }
}
