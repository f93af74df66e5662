package dev.ajr.core.policy;

import dev.ajr.core.detect.Anomaly;
import dev.ajr.core.detect.RecoveryAction;
import dev.ajr.core.job.AttemptState;
import dev.ajr.core.job.AutoResumeMode;
import dev.ajr.core.job.Directive;
import dev.ajr.core.job.DirectiveResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Decides what to do about an anomaly. A pure function of its input: no I/O, no clock, so it is
 * tested as a table.
 *
 * <p>Rules, in order:
 *
 * <ol>
 *   <li>An anomaly of an attempt that is no longer the job's current one, or of an attempt that
 *       completed successfully or was cancelled by someone else, changes nothing.
 *   <li>A job without a directive, or with one ajr cannot follow, is never touched.
 *   <li>An anomaly whose rule says a retry cannot help (for example a user's own exception, out of
 *       memory) stops the job.
 *   <li>An anomaly whose rule points at a node keeps the next attempt off that node (job output is
 *       untrusted: the node is excluded from this job, never drained).
 *   <li>Preemption and node failure ({@link #UNCHARGED_RULES}) do not use the job's recoveries;
 *       they restart it while its recoveries of every kind are below the administrator's cap.
 *   <li>Otherwise, while the job has recoveries left, {@code requeue} mode requeues the same job id
 *       held, releases it and lets it start at once; {@code singleton_dependency} mode ends the job
 *       and releases its held successor. At the limit, the failing attempt is ended and the job is
 *       stopped with the reason.
 * </ol>
 */
public final class RecoveryPolicy {

  public DecisionPlan decide(PolicyInput in) {
    Anomaly anomaly = in.anomaly();
    int index = in.attempt().index();
    if (!in.currentAttempt()) {
      return DecisionPlan.none(
          "attempt " + index + " has already been superseded by a later attempt");
    }
    AttemptState state = in.attempt().state();
    if (state == AttemptState.COMPLETED) {
      return DecisionPlan.none("attempt " + index + " completed successfully");
    }
    if (state == AttemptState.CANCELLED) {
      return DecisionPlan.none(
          "attempt " + index + " was cancelled by someone; ajr never undoes a cancel");
    }
    String found = describe(anomaly);
    switch (in.job().directive()) {
      case DirectiveResult.Absent absent -> {
        return DecisionPlan.none(found, "the job did not opt in (no APS directive in its comment)");
      }
      case DirectiveResult.Invalid invalid -> {
        return DecisionPlan.none(
            found, "the job's APS directive cannot be followed: " + invalid.problem());
      }
      case DirectiveResult.Valid valid -> {
        return decideOptedIn(in, valid.directive(), found);
      }
    }
  }

  private DecisionPlan decideOptedIn(PolicyInput in, Directive directive, String found) {
    long jobId = in.job().jobId();
    boolean attemptStillRuns = !in.attempt().state().isFinal();
    List<PlannedAction> endAttempt =
        attemptStillRuns ? List.of(PlannedAction.of(ActionKind.CANCEL, jobId)) : List.of();
    if (in.anomaly().action() == RecoveryAction.STOP) {
      String why = "a " + in.anomaly().cause() + " failure would happen again on a restart";
      return new DecisionPlan(
          Operation.STOP,
          List.of(found, why),
          endAttempt,
          true,
          "stopped after "
              + in.anomaly().cause()
              + " in attempt "
              + in.attempt().index()
              + ": "
              + why,
          0);
    }
    int allowed = directive.effectiveMaxRequeues(in.limits());
    String budget = budgetWords(directive, in, allowed);
    boolean charged = chargedToBudget(in.anomaly());
    if (!charged && in.totalRecoveries() >= in.limits().cap()) {
      String cap =
          "no more requeues: restarted "
              + in.totalRecoveries()
              + " times in all; the"
              + " administrator's cap of "
              + in.limits().cap()
              + " applies to preemption and node"
              + " failure too";
      return new DecisionPlan(
          Operation.STOP,
          List.of(found, cap),
          endAttempt,
          true,
          "stopped: restarted " + in.totalRecoveries() + " times, the administrator's cap",
          0);
    }
    if (charged && in.recoveriesSoFar() >= allowed) {
      String limit =
          "no more requeues: the limit of "
              + allowed
              + " is reached ("
              + in.recoveriesSoFar()
              + " used"
              + budget
              + ")";
      return new DecisionPlan(
          Operation.STOP,
          List.of(found, limit),
          endAttempt,
          true,
          "stopped: the requeue limit of "
              + allowed
              + " is reached after "
              + in.anomaly().type()
              + " in attempt "
              + in.attempt().index(),
          0);
    }
    String next =
        charged
            ? "recovery " + (in.recoveriesSoFar() + 1) + " of " + allowed + budget
            : "not charged to the job's "
                + allowed
                + " recoveries ("
                + in.anomaly().ruleId()
                + " is not the job's fault)";
    List<String> exclude = excludedNodes(in.anomaly());
    String excludeWords = exclusionWords(in.anomaly(), exclude);
    if (directive.mode() == AutoResumeMode.REQUEUE) {
      List<PlannedAction> actions = new ArrayList<>();
      // Slurm resets the begin time of a requeued job when the requeue completes, so the start
      // time is set after the requeue and before the release.
      actions.add(PlannedAction.of(ActionKind.REQUEUE_HOLD, jobId));
      if (!exclude.isEmpty()) {
        actions.add(new PlannedAction(ActionKind.EXCLUDE_NODES, jobId, exclude));
      }
      actions.add(PlannedAction.of(ActionKind.START_NOW, jobId));
      actions.add(PlannedAction.of(ActionKind.RELEASE, jobId));
      return new DecisionPlan(
          Operation.RESTART,
          reasons(found, "requeue the same job id held, then release it: " + next, excludeWords),
          actions,
          false,
          "",
          0);
    }
    if (in.heldSuccessor().isEmpty()) {
      String missing =
          "no held successor with the same name was found; submit the next job of the chain with"
              + " sbatch --hold --dependency=singleton";
      return new DecisionPlan(
          Operation.STOP, List.of(found, missing), endAttempt, true, "stopped: " + missing, 0);
    }
    long successor = in.heldSuccessor().getAsLong();
    List<PlannedAction> actions = new ArrayList<>(endAttempt);
    if (!exclude.isEmpty()) {
      actions.add(new PlannedAction(ActionKind.EXCLUDE_NODES, successor, exclude));
    }
    actions.add(PlannedAction.of(ActionKind.RELEASE, successor));
    return new DecisionPlan(
        Operation.RELEASE,
        reasons(
            found,
            "end job " + jobId + " and release its held successor " + successor + ": " + next,
            excludeWords),
        actions,
        false,
        "",
        successor);
  }

  /**
   * The nodes the next attempt must avoid: the anomaly's node when its rule points at the node. Job
   * output is untrusted, so this only keeps this job off the node; it never drains it.
   */
  private static List<String> excludedNodes(Anomaly anomaly) {
    if (anomaly.action() != RecoveryAction.REQUEUE_EXCLUDE_NODE || anomaly.node().isBlank()) {
      return List.of();
    }
    return List.of(anomaly.node());
  }

  private static String exclusionWords(Anomaly anomaly, List<String> exclude) {
    if (anomaly.action() != RecoveryAction.REQUEUE_EXCLUDE_NODE) {
      return "";
    }
    if (exclude.isEmpty()) {
      return "the failure points at a node, but the log does not say which: no node is excluded";
    }
    return "the next attempt will not run on "
        + String.join(", ", exclude)
        + " (the node the failure points at)";
  }

  private static List<String> reasons(String found, String what, String exclusion) {
    return exclusion.isEmpty() ? List.of(found, what) : List.of(found, what, exclusion);
  }

  /** Rules whose failures are not the job's fault: preemption and node failure. */
  static final Set<String> UNCHARGED_RULES = Set.of("slurm.preempted", "slurm.node-failure");

  /** Whether a recovery for this anomaly uses the job's budget of recoveries. */
  public static boolean chargedToBudget(Anomaly anomaly) {
    return !UNCHARGED_RULES.contains(anomaly.ruleId());
  }

  private static String budgetWords(Directive directive, PolicyInput in, int allowed) {
    if (directive.maxRequeueTimes().isEmpty()) {
      return "; the administrator's default is " + in.limits().defaultMax();
    }
    int asked = directive.maxRequeueTimes().getAsInt();
    if (asked > allowed) {
      return "; the job asked for " + asked + ", the administrator's cap is " + allowed;
    }
    return "; max_requeue_times " + asked + " from the job's directive";
  }

  private static String describe(Anomaly anomaly) {
    String line = anomaly.line().strip();
    if (line.length() > 200) {
      line = line.substring(0, 200) + "...";
    }
    return anomaly.type()
        + " anomaly ("
        + anomaly.cause()
        + ") in attempt "
        + anomaly.attemptIndex()
        + ": \""
        + line
        + "\"";
  }
}
