package dev.ajr.core.policy;

import dev.ajr.core.detect.Cause;
import dev.ajr.core.progress.AttemptProgress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * The job's history as the budget rules see it: the runs before the failed one and the failed one
 * itself, which of them made progress, and what counts against the budgets. Immutable once built.
 */
final class BudgetHistory {

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

  BudgetHistory(PolicyInput in) {
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
            in.anomaly().charged(),
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
   * How many runs in a row, back from the failed one, have the property. Runs whose failure was not
   * the job's fault (not charged, or not restarted by ajr) neither count nor break the row, unless
   * they break it by themselves ({@code breaks}: they made progress, they ran long).
   */
  private int streak(IntPredicate has, IntPredicate breaks) {
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
