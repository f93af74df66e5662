package dev.ajr.core.progress;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Notices a sustained slowdown of one attempt against its own baseline, per rank where lines name
 * their rank (rank -1 stands for untagged lines). Confined to one thread.
 *
 * <p>Rules: per rank, the first {@code warmup} iteration times are ignored, the next {@code
 * baselineSamples} make the baseline (their median); from then on, when the median of the last
 * {@code window} times exceeds {@code factor x baseline}, the rank is a straggler. A verdict is
 * given once per slowdown: a rank that recovers and slows down again gets a new one. Medians make a
 * single slow iteration (a checkpoint save) harmless.
 */
public final class StragglerDetector {

  private final StragglerSettings settings;
  private final Map<Integer, RankTimes> ranks = new HashMap<>();

  public StragglerDetector(StragglerSettings settings) {
    this.settings = settings;
  }

  private final class RankTimes {
    long seen;
    final List<Double> baseline = new ArrayList<>();
    double baselineMedian = Double.NaN;
    final Deque<Double> recent = new ArrayDeque<>();
    boolean slow;
    boolean reported;
  }

  /** One iteration of {@code seconds} on the rank. */
  public void iteration(int rank, double seconds) {
    if (!(seconds > 0) || Double.isInfinite(seconds)) {
      return;
    }
    RankTimes r = ranks.computeIfAbsent(rank, k -> new RankTimes());
    r.seen++;
    if (r.seen <= settings.warmup()) {
      return;
    }
    if (r.baseline.size() < settings.baselineSamples()) {
      r.baseline.add(seconds);
      if (r.baseline.size() == settings.baselineSamples()) {
        r.baselineMedian = median(r.baseline);
      }
      return;
    }
    r.recent.addLast(seconds);
    if (r.recent.size() > settings.window()) {
      r.recent.removeFirst();
    }
    if (r.recent.size() == settings.window()) {
      boolean slow = median(r.recent) > settings.factor() * r.baselineMedian;
      if (!slow) {
        r.reported = false;
      }
      r.slow = slow;
    }
  }

  /** A sentence for each rank that became a straggler since the last call. */
  public List<String> check() {
    List<String> verdicts = new ArrayList<>();
    for (Map.Entry<Integer, RankTimes> e : ranks.entrySet()) {
      RankTimes r = e.getValue();
      if (r.slow && !r.reported) {
        r.reported = true;
        double now = median(r.recent);
        verdicts.add(
            String.format(
                java.util.Locale.ROOT,
                "%s: %.2f s per iteration over the last %d iterations, %.1fx its baseline of"
                    + " %.2f s",
                e.getKey() < 0 ? "the job" : "rank " + e.getKey(),
                now,
                settings.window(),
                now / r.baselineMedian,
                r.baselineMedian));
      }
    }
    return verdicts;
  }

  /** The ranks slow right now. */
  public Optional<Integer> slowestRank() {
    return ranks.entrySet().stream()
        .filter(e -> e.getValue().slow)
        .max(
            java.util.Comparator.comparingDouble(
                e -> median(e.getValue().recent) / e.getValue().baselineMedian))
        .map(Map.Entry::getKey);
  }

  private static double median(java.util.Collection<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return sorted[sorted.length / 2];
  }
}
