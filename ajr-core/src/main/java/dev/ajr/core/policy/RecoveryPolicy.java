package dev.ajr.core.policy;

import dev.ajr.core.detect.Anomaly;
import dev.ajr.core.detect.Cause;
import dev.ajr.core.detect.RecoveryAction;
import dev.ajr.core.job.AttemptState;
import dev.ajr.core.job.AutoResumeMode;
import dev.ajr.core.job.Directive;
import dev.ajr.core.job.DirectiveResult;
import dev.ajr.core.progress.AttemptProgress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides what to do about an anomaly. A pure function of its input: no I/O, no clock (the time of
 * the decision and the history of the job come in the {@link PolicyInput}), so it is tested as a
 * table.
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
 *       while its recoveries of every kind are below the administrator's cap.
 *   <li><b>Total budget</b>: a failure of the job's own stops it once its charged recoveries reach
 *       {@code max_requeue_times} (the administrator's default when the job does not say, never
 *       above the administrator's cap).
 *   <li><b>Budget per cause</b> ({@code recovery.max-per-cause}, default 3): a failure stops the
 *       job once it has had that many charged recoveries for the same root cause ({@link
 *       dev.ajr.core.detect.Cause}); the reason names the cause and the count.
 *   <li><b>No new checkpoint</b> ({@code recovery.stop-without-checkpoint}, default 3): a job that
 *       writes checkpoints (some attempt saved one) stops when that many attempts in a row, the
 *       failed one included, saved no new checkpoint. A job that never wrote one is not judged by
 *       this rule.
 *   <li><b>Early deaths</b> ({@code recovery.early-stop-attempts}, default 3, and {@code
 *       recovery.early-stop-within}, default 5m): the job stops when that many attempts in a row,
 *       the failed one included, each ended within that long of starting.
 *   <li><b>Job restart storm</b> ({@code recovery.job-storm-limit}, default 5, within {@code
 *       recovery.storm-window}, default 1h): a job ajr restarted that many times within the window
 *       is stopped instead of restarted again, whatever the causes.
 *   <li><b>Cluster restart storm</b> ({@code recovery.cluster-storm-limit}, default 50, within the
 *       same window): when ajr restarted that many jobs on the cluster within the window, it does
 *       not restart this one (operation NONE, no actions): the job is left as Slurm left it and the
 *       reason asks an operator to look.
 *   <li>Otherwise {@code requeue} mode requeues the same job id held, releases it and lets it start
 *       at once; {@code singleton_dependency} mode ends the job and releases its held successor. An
 *       anomaly whose rule points at a node keeps the next attempt off that node (job output is
 *       untrusted: the node is excluded from this job, never drained).
 * </ol>
 *
 * <p>In rules 8 and 9 a run whose failure was not the job's fault (preemption, node failure, or a
 * run ajr did not restart) neither counts nor breaks the row, unless it made progress (rule 8) or
 * ran longer than the early window (rule 9). Rules 8 and 9 apply to failures charged to the job
 * only. A limit of 0 turns its rule off. A stop ends the failing attempt if it still runs.
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
    boolean charged = in.anomaly().charged();
    PolicySettings settings = in.settings();
    History h = new History(in, charged);
    List<String> reasons = new ArrayList<>();
    reasons.add(found);
    reasons.addAll(h.resetWords());
    if (!charged && h.total >= in.limits().cap()) {
      String cap =
          "no more requeues: restarted "
              + h.total
              + " times"
              + h.since()
              + "; the administrator's cap of "
              + in.limits().cap()
              + " applies to preemption and node failure too";
      return stop(
          reasons,
          cap,
          endAttempt,
          "stopped: restarted " + h.total + " times, the administrator's cap");
    }
    if (charged && h.charged >= allowed) {
      String limit =
          "no more requeues: the limit of "
              + allowed
              + " is reached ("
              + h.charged
              + " used"
              + h.since()
              + budget
              + ")";
      return stop(
          reasons,
          limit,
          endAttempt,
          "stopped: the requeue limit of "
              + allowed
              + " is reached after "
              + in.anomaly().type()
              + " in attempt "
              + in.attempt().index());
    }
    Cause cause = in.anomaly().cause();
    if (charged && settings.maxPerCause() > 0 && h.sameCause >= settings.maxPerCause()) {
      String perCause =
          "no more requeues for "
              + cause
              + ": "
              + recoveries(h.sameCause)
              + " for this cause already"
              + h.since()
              + ", the most ajr makes for one cause is "
              + settings.maxPerCause();
      return stop(
          reasons,
          perCause,
          endAttempt,
          "stopped: "
              + cause
              + " again after "
              + recoveries(h.sameCause)
              + " for it (at most "
              + settings.maxPerCause()
              + " per cause)");
    }
    if (charged
        && h.writesCheckpoints
        && settings.stopWithoutCheckpoint() > 0
        && h.withoutCheckpoint >= settings.stopWithoutCheckpoint()) {
      String words =
          h.withoutCheckpoint
              + " attempts in a row saved no checkpoint; a restart would not advance the job";
      return stop(reasons, words + h.lastCheckpointWords(), endAttempt, "stopped: " + words);
    }
    if (charged && settings.earlyStopAttempts() > 0 && h.early >= settings.earlyStopAttempts()) {
      String words =
          "each of the last "
              + h.early
              + " attempts died within "
              + words(settings.earlyStopWithin())
              + " of starting";
      return stop(
          reasons, words + "; a restart would die the same way", endAttempt, "stopped: " + words);
    }
    if (settings.jobStormLimit() > 0 && h.inWindow >= settings.jobStormLimit()) {
      String words =
          "ajr restarted this job "
              + h.inWindow
              + " times within "
              + words(settings.stormWindow())
              + ", the most it does";
      return stop(
          reasons,
          words + "; another restart would make a restart storm, so the job is stopped",
          endAttempt,
          "stopped: " + words);
    }
    if (settings.clusterStormLimit() > 0
        && in.clusterRestartsInWindow() >= settings.clusterStormLimit()) {
      reasons.add(
          "the cluster is in a restart storm: ajr restarted "
              + in.clusterRestartsInWindow()
              + " jobs within "
              + words(settings.stormWindow())
              + " (at most "
              + settings.clusterStormLimit()
              + "); this job is not restarted and is left as Slurm left it; an operator should"
              + " look at the cluster");
      return new DecisionPlan(Operation.NONE, reasons, List.of(), false, "", 0);
    }
    String next =
        charged
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
                        + cause
                    : "")
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
          reasons(reasons, "requeue the same job id held, then release it: " + next, excludeWords),
          actions,
          false,
          "",
          0);
    }
    if (in.heldSuccessor().isEmpty()) {
      String missing =
          "no held successor with the same name was found; submit the next job of the chain with"
              + " sbatch --hold --dependency=singleton";
      return stop(reasons, missing, endAttempt, "stopped: " + missing);
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
            reasons,
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

  private static List<String> reasons(List<String> before, String what, String exclusion) {
    List<String> all = new ArrayList<>(before);
    all.add(what);
    if (!exclusion.isEmpty()) {
      all.add(exclusion);
    }
    return all;
  }

  private static DecisionPlan stop(
      List<String> before, String why, List<PlannedAction> endAttempt, String stopReason) {
    List<String> all = new ArrayList<>(before);
    all.add(why);
    return new DecisionPlan(Operation.STOP, all, endAttempt, true, stopReason, 0);
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

  private static String recoveries(int n) {
    return n + (n == 1 ? " recovery" : " recoveries");
  }

  private static String plural(long n, String unit) {
    return n + " " + unit + (n == 1 ? "" : "s");
  }

  /**
   * The job's history as the budget rules see it: the runs before the failed one and the failed one
   * itself, which of them made progress, and what counts against the budgets.
   */
  private static final class History {

    /** One run, the failed attempt last. */
    private record Step(
        String name,
        Instant start,
        Instant end,
        AttemptProgress progress,
        boolean restarted,
        boolean charged,
        Cause cause,
        Instant restartedAt) {}

    private final List<Step> steps = new ArrayList<>();
    private final boolean[] advanced;
    private final String[] advanceWords;
    final boolean writesCheckpoints;

    /** Where counting starts: the last run that made progress, or 0. */
    private final int from;

    /** Recoveries that count: charged ones, all of them, those for the anomaly's cause. */
    final int charged;

    final int total;
    final int sameCause;

    /** Recoveries before {@link #from} that no longer count. */
    private final int forgotten;

    /** Attempts in a row, up to the failed one, that saved no new checkpoint. */
    final int withoutCheckpoint;

    /** Attempts in a row, up to the failed one, that died soon after starting. */
    final int early;

    /** Restarts of this job within the storm window. */
    final int inWindow;

    History(PolicyInput in, boolean failedCharged) {
      PolicySettings settings = in.settings();
      long jobId = in.job().jobId();
      for (JobHistory.Run r : in.history().earlier()) {
        steps.add(
            new Step(
                r.jobId() == jobId ? "attempt " + r.attemptIndex() : "job " + r.jobId(),
                r.startTime(),
                r.endTime(),
                r.progress(),
                r.restarted(),
                r.charged(),
                r.cause(),
                r.restartedAt()));
      }
      Instant end = in.attempt().endTime() != null ? in.attempt().endTime() : in.now();
      steps.add(
          new Step(
              "attempt " + in.attempt().index(),
              in.attempt().startTime(),
              end,
              in.history().failed(),
              true,
              failedCharged,
              in.anomaly().cause(),
              null));
      int n = steps.size();
      writesCheckpoints = steps.stream().anyMatch(s -> s.progress().checkpointsSaved() > 0);
      advanced = new boolean[n];
      advanceWords = new String[n];
      long bestCheckpoint = -1;
      long bestIteration = -1;
      for (int i = 0; i < n; i++) {
        AttemptProgress p = steps.get(i).progress();
        String name = steps.get(i).name();
        if (writesCheckpoints) {
          if (p.checkpointsSaved() > 0
              && (p.highestCheckpoint() < 0 || p.highestCheckpoint() > bestCheckpoint)) {
            advanced[i] = true;
            advanceWords[i] =
                p.highestCheckpoint() < 0
                    ? name + " saved a new checkpoint"
                    : name
                        + " saved checkpoint "
                        + p.highestCheckpoint()
                        + (bestCheckpoint < 0 ? "" : ", beyond " + bestCheckpoint + " before");
          }
        } else if (p.highestIteration() >= 0 && p.highestIteration() > bestIteration) {
          advanced[i] = true;
          advanceWords[i] =
              name
                  + " reached iteration "
                  + p.highestIteration()
                  + (bestIteration < 0 ? "" : ", beyond " + bestIteration + " before");
        }
        bestCheckpoint = Math.max(bestCheckpoint, p.highestCheckpoint());
        bestIteration = Math.max(bestIteration, p.highestIteration());
      }
      int last = -1;
      for (int i = 0; i < n; i++) {
        if (advanced[i]) {
          last = i;
        }
      }
      from = settings.resetOnProgress() && last > 0 ? last : 0;
      int c = 0;
      int t = 0;
      int same = 0;
      int gone = 0;
      for (int i = 0; i < n - 1; i++) {
        Step s = steps.get(i);
        if (!s.restarted()) {
          continue;
        }
        if (i < from) {
          gone++;
          continue;
        }
        t++;
        if (s.charged()) {
          c++;
          if (s.cause() == in.anomaly().cause()) {
            same++;
          }
        }
      }
      charged = c;
      total = t;
      sameCause = same;
      forgotten = gone;
      withoutCheckpoint = writesCheckpoints ? streak(i -> !advanced[i], i -> advanced[i]) : 0;
      Duration within = settings.earlyStopWithin();
      early = streak(i -> diedEarly(steps.get(i), within), i -> !diedEarly(steps.get(i), within));
      Instant windowStart = in.now().minus(settings.stormWindow());
      inWindow =
          (int)
              steps.stream()
                  .filter(s -> s.restartedAt() != null && s.restartedAt().isAfter(windowStart))
                  .count();
    }

    private static boolean diedEarly(Step s, Duration within) {
      return s.start() != null
          && s.end() != null
          && Duration.between(s.start(), s.end()).compareTo(within) <= 0;
    }

    /**
     * How many runs in a row, back from the failed one, have the property. Runs whose failure was
     * not the job's fault (not charged, or not restarted by ajr) neither count nor break the row,
     * unless they break it by themselves ({@code breaks}: they made progress, they ran long).
     */
    private int streak(
        java.util.function.IntPredicate has, java.util.function.IntPredicate breaks) {
      int count = 0;
      for (int i = steps.size() - 1; i >= 0; i--) {
        Step s = steps.get(i);
        boolean theJobs = s.restarted() && s.charged();
        if (!theJobs) {
          if (breaks.test(i)) {
            break;
          }
          continue;
        }
        if (!has.test(i)) {
          break;
        }
        count++;
      }
      return count;
    }

    /** The reason saying the budget started again, when progress made recoveries not count. */
    List<String> resetWords() {
      if (forgotten == 0) {
        return List.of();
      }
      return List.of(
          "the budget started again: "
              + advanceWords[from]
              + " ("
              + forgotten
              + (forgotten == 1
                  ? " earlier recovery no longer counts)"
                  : " earlier recoveries no longer count)"));
    }

    /** Words saying from when recoveries are counted, when progress started the count again. */
    String since() {
      return forgotten == 0 ? "" : " since " + steps.get(from).name() + " made progress";
    }

    /** Words naming the last new checkpoint, for the rule that stops without one. */
    String lastCheckpointWords() {
      for (int i = steps.size() - 1; i >= 0; i--) {
        if (advanced[i]) {
          return " (the last new checkpoint: " + advanceWords[i] + ")";
        }
      }
      return "";
    }
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
