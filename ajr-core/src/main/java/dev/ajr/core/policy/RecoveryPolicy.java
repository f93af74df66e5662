package dev.ajr.core.policy;

import dev.ajr.core.detect.Anomaly;
import dev.ajr.core.detect.FaultWords;
import dev.ajr.core.detect.NodeNames;
import dev.ajr.core.detect.RecoveryAction;
import dev.ajr.core.job.Attempt;
import dev.ajr.core.job.AttemptState;
import dev.ajr.core.job.AutoResumeMode;
import dev.ajr.core.job.Directive;
import dev.ajr.core.job.DirectiveResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides what to do about an anomaly. A pure function of its input: no I/O, no clock (the time of
 * the decision and the history of the job come in the {@link PolicyInput}), so it is tested as a
 * table. The answer is a {@link DecisionPlan}: restart, release a singleton successor, stop, or
 * nothing.
 *
 * <p>Rules, in order:
 *
 * <ol>
 *   <li>An anomaly of an attempt that is no longer the job's current one, or of an attempt that
 *       completed successfully or was cancelled by someone else, changes nothing.
 *   <li>A job without a directive, or with one ajr cannot follow, is never touched.
 *   <li>An anomaly whose rule says a retry cannot help (for example a user's own exception, out of
 *       memory) stops the job.
 *   <li><b>Progress starts the budget again</b> ({@code recovery.reset-on-progress}, default on):
 *       an attempt made progress when it saved a checkpoint beyond every checkpoint saved before (a
 *       save that names no iteration counts as new), or, for a job that never wrote a checkpoint
 *       line, when it reached an iteration beyond every earlier attempt. Only the recoveries after
 *       the last attempt that made progress (the failed one included) count in the rules below, and
 *       the reasons say so ("the budget started again: attempt 2 saved checkpoint 4000, beyond 3000
 *       before").
 *   <li>Failures that are not the job's fault (their rule says {@code charged: false}: preemption
 *       and node failure; {@link Anomaly#charged}) do not use the job's recoveries; they restart it
 *       while its recoveries of every kind are below the administrator's cap ({@link
 *       BudgetRule#UNCHARGED_CAP}).
 *   <li><b>Total budget</b>: a failure of the job's own stops it once its charged recoveries reach
 *       {@code max_requeue_times} (the administrator's default when the job does not say, never
 *       above the administrator's cap; {@link BudgetRule#TOTAL_BUDGET}).
 *   <li><b>Budget per cause</b> ({@code recovery.max-per-cause}, default 3): a failure stops the
 *       job once it has had that many charged recoveries for the same root cause ({@link
 *       dev.ajr.core.detect.Cause}); the reason names the cause and the count ({@link
 *       BudgetRule#BUDGET_PER_CAUSE}).
 *   <li><b>No new checkpoint</b> ({@code recovery.stop-without-checkpoint}, default 3): a job that
 *       writes checkpoints (some attempt saved one) stops when that many attempts in a row, the
 *       failed one included, saved no new checkpoint. A job that never wrote one is not judged by
 *       this rule ({@link BudgetRule#NO_NEW_CHECKPOINT}).
 *   <li><b>Early deaths</b> ({@code recovery.early-stop-attempts}, default 3, and {@code
 *       recovery.early-stop-within}, default 5m): the job stops when that many attempts in a row,
 *       the failed one included, each ended within that long of starting ({@link
 *       BudgetRule#EARLY_DEATHS}).
 *   <li><b>Job restart storm</b> ({@code recovery.job-storm-limit}, default 5, within {@code
 *       recovery.storm-window}, default 1h): a job ajr restarted that many times within the window
 *       is stopped instead of restarted again, whatever the causes ({@link
 *       BudgetRule#JOB_RESTART_STORM}).
 *   <li><b>Cluster restart storm</b> ({@code recovery.cluster-storm-limit}, default 50, within the
 *       same window): when ajr restarted that many jobs on the cluster within the window, it does
 *       not restart this one (operation NONE, no actions): the job is left as Slurm left it and the
 *       reason asks an operator to look ({@link BudgetRule#CLUSTER_RESTART_STORM}).
 *   <li>Otherwise {@code requeue} mode requeues the same job id held, releases it and lets it start
 *       at once; {@code singleton_dependency} mode ends the job and releases its held successor. An
 *       anomaly whose rule points at a node keeps the next attempt off that node: the anomaly's
 *       node, else the attempt's node when it ran on one (job output is untrusted: the node is
 *       excluded from this job, never drained). When the node is not known (the attempt ran on
 *       several nodes and the log does not say which), the job is restarted without excluding a
 *       node and the reasons say so ("GPU fault on an unknown node: restarted without excluding a
 *       node ...").
 * </ol>
 *
 * <p>Rules 5 to 11 are the {@link BudgetRule}s, evaluated in their declared order. In rules 8 and 9
 * a run whose failure was not the job's fault (preemption, node failure, or a run ajr did not
 * restart) neither counts nor breaks the row, unless it made progress (rule 8) or ran longer than
 * the early window (rule 9). Rules 8 and 9 apply to failures charged to the job only. A limit of 0
 * turns its rule off. A stop ends the failing attempt if it still runs.
 */
public final class RecoveryPolicy {

  /** Rules 5 to 11, in the order they are evaluated: the enum's declaration order. */
  private static final List<BudgetRule> BUDGET_RULES = List.of(BudgetRule.values());

  public DecisionPlan decide(PolicyInput in) {
    Anomaly anomaly = in.anomaly();
    int index = in.attempt().index();
    if (!in.currentAttempt()) {
      return DecisionPlan.NoAction.because(
          "attempt " + index + " has already been superseded by a later attempt");
    }
    AttemptState state = in.attempt().state();
    if (state == AttemptState.COMPLETED) {
      return DecisionPlan.NoAction.because("attempt " + index + " completed successfully");
    }
    if (state == AttemptState.CANCELLED) {
      return DecisionPlan.NoAction.because(
          "attempt " + index + " was cancelled by someone; ajr never undoes a cancel");
    }
    String found = describe(anomaly);
    switch (in.job().directive()) {
      case DirectiveResult.Absent absent -> {
        return DecisionPlan.NoAction.because(
            found, "the job did not opt in (no APS directive in its comment)");
      }
      case DirectiveResult.Invalid invalid -> {
        return DecisionPlan.NoAction.because(
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
    if (in.anomaly().action() == RecoveryAction.STOP) {
      String why = "a " + in.anomaly().cause() + " failure would happen again on a restart";
      return new DecisionPlan.Stop(
          jobId,
          attemptStillRuns,
          List.of(found, why),
          "stopped after "
              + in.anomaly().cause()
              + " in attempt "
              + in.attempt().index()
              + ": "
              + why);
    }
    int allowed = directive.effectiveMaxRequeues(in.limits());
    String budget = budgetWords(directive, in, allowed);
    BudgetHistory h = new BudgetHistory(in);
    List<String> reasons = new ArrayList<>();
    reasons.add(found);
    reasons.addAll(h.resetWords());
    BudgetContext context = new BudgetContext(in, h, allowed, budget, reasons);
    for (BudgetRule rule : BUDGET_RULES) {
      Optional<DecisionPlan> answer = rule.check(context);
      if (answer.isPresent()) {
        return answer.get();
      }
    }
    PolicySettings settings = in.settings();
    String next =
        in.anomaly().charged()
            ? "recovery "
                + (h.charged + 1)
                + " of "
                + allowed
                + budget
                + (settings.maxPerCause() > 0 && settings.maxPerCause() < allowed
                    ? "; "
                        + (h.sameCause + 1)
                        + " of at most "
                        + settings.maxPerCause()
                        + " for "
                        + in.anomaly().cause()
                    : "")
            : "not charged to the job's "
                + allowed
                + " recoveries ("
                + in.anomaly().ruleId()
                + " is not the job's fault)";
    List<String> exclude = excludedNodes(in.anomaly(), in.attempt());
    if (directive.mode() == AutoResumeMode.REQUEUE) {
      return new DecisionPlan.Restart(
          jobId,
          exclude,
          reasons(
              reasons,
              "requeue the same job id held, then release it: " + next,
              exclusionWords(in.anomaly(), in.attempt(), exclude, "restarted")));
    }
    if (in.heldSuccessor().isEmpty()) {
      String missing =
          "no held successor with the same name was found; submit the next job of the chain with"
              + " sbatch --hold --dependency=singleton";
      return context.stop(missing, "stopped: " + missing);
    }
    long successor = in.heldSuccessor().getAsLong();
    return new DecisionPlan.ReleaseSuccessor(
        jobId,
        attemptStillRuns,
        successor,
        exclude,
        reasons(
            reasons,
            "end job " + jobId + " and release its held successor " + successor + ": " + next,
            exclusionWords(in.anomaly(), in.attempt(), exclude, "the successor is released")));
  }

  /**
   * The nodes the next attempt must avoid when the anomaly's rule points at a node: the anomaly's
   * node, else the attempt's node when it ran on one node (the failure can only be there). Job
   * output is untrusted, so this only keeps this job off the node; it never drains it.
   */
  private static List<String> excludedNodes(Anomaly anomaly, Attempt attempt) {
    if (anomaly.action() != RecoveryAction.REQUEUE_EXCLUDE_NODE) {
      return List.of();
    }
    String node = NodeNames.valid(anomaly.node());
    if (node == null && attempt.nodes().size() == 1) {
      node = NodeNames.valid(attempt.nodes().get(0));
    }
    return node == null ? List.of() : List.of(node);
  }

  /**
   * What the exclusion is, in words: the node kept off, or that the node is unknown and the job is
   * restarted (or its successor released) without excluding one.
   */
  private static String exclusionWords(
      Anomaly anomaly, Attempt attempt, List<String> exclude, String restarted) {
    if (anomaly.action() != RecoveryAction.REQUEUE_EXCLUDE_NODE) {
      return "";
    }
    String fault = FaultWords.fault(anomaly.cause());
    if (exclude.isEmpty()) {
      int ran = attempt.nodes().size();
      return fault
          + " on an unknown node: "
          + restarted
          + " without excluding a node (the log does not say which node"
          + (ran > 1 ? " of the " + ran + " the attempt ran on" : "")
          + ")";
    }
    return fault
        + " on "
        + String.join(", ", exclude)
        + ": the next attempt will not run on "
        + String.join(", ", exclude)
        + " (the node the failure points at)";
  }

  private static List<String> reasons(List<String> before, String what, String exclusion) {
    List<String> all = new ArrayList<>(before);
    all.add(what);
    if (!exclusion.isEmpty()) {
      all.add(exclusion);
    }
    return all;
  }

  /** A duration in words: "5 minutes", "1 hour", "90 seconds". */
  static String words(Duration d) {
    long seconds = d.toSeconds();
    if (seconds > 0 && seconds % 3600 == 0) {
      return plural(seconds / 3600, "hour");
    }
    if (seconds > 0 && seconds % 60 == 0) {
      return plural(seconds / 60, "minute");
    }
    return plural(seconds, "second");
  }

  private static String plural(long n, String unit) {
    return n + " " + unit + (n == 1 ? "" : "s");
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
