package dev.ajr.core.progress;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Optional;

/**
 * Decides when one attempt has stopped making progress. Time is given by the caller, so tests run
 * without waiting. Confined to one thread.
 *
 * <p>Rules: after two or more progress lines, the attempt is hung when nothing new came for {@code
 * max(floor, multiple x median interval)}; before its first progress line it is hung after the
 * start-up grace, but only when progress is expected (an earlier attempt of the job showed
 * progress, or the job set an explicit timeout) — a job that never prints progress is never called
 * hung. A job's own {@code hang_timeout} replaces both thresholds. A verdict is given once.
 */
public final class HangDetector {

  private static final int GAPS = 16;

  private final HangSettings settings;
  private final Instant attemptStart;
  private final Duration override;
  private final boolean expectProgress;
  private final Deque<Duration> gaps = new ArrayDeque<>();
  private Instant lastProgress;
  private long progressLines;
  private boolean reported;

  /**
   * @param override the job's own timeout ({@code hang_timeout}), or null
   * @param expectProgress true when an earlier attempt of the job showed progress
   */
  public HangDetector(
      HangSettings settings, Instant attemptStart, Duration override, boolean expectProgress) {
    this.settings = settings;
    this.attemptStart = attemptStart;
    this.override = override;
    this.expectProgress = expectProgress || override != null;
  }

  public void progress(Instant at) {
    if (lastProgress != null && at.isAfter(lastProgress)) {
      gaps.addLast(Duration.between(lastProgress, at));
      if (gaps.size() > GAPS) {
        gaps.removeFirst();
      }
    }
    lastProgress = at;
    progressLines++;
    reported = false;
  }

  public boolean sawProgress() {
    return progressLines > 0;
  }

  /** The threshold in force now, or empty while none applies. */
  public Optional<Duration> threshold() {
    if (override != null) {
      return Optional.of(override);
    }
    if (lastProgress == null) {
      return expectProgress ? Optional.of(settings.startupGrace()) : Optional.empty();
    }
    if (gaps.size() < 2) {
      return Optional.of(max(settings.floor(), settings.startupGrace()));
    }
    Duration typical = median();
    return Optional.of(max(settings.floor(), typical.multipliedBy(settings.multiple())));
  }

  /** A sentence saying why the attempt is hung, once; empty otherwise. */
  public Optional<String> check(Instant now) {
    if (reported) {
      return Optional.empty();
    }
    Optional<Duration> threshold = threshold();
    if (threshold.isEmpty()) {
      return Optional.empty();
    }
    Instant since = lastProgress == null ? attemptStart : lastProgress;
    Duration quiet = Duration.between(since, now);
    if (quiet.compareTo(threshold.get()) < 0) {
      return Optional.empty();
    }
    reported = true;
    String what =
        lastProgress == null
            ? "no progress since the attempt started " + minutes(quiet) + " ago"
            : "no progress for " + minutes(quiet) + " after " + progressLines + " progress lines";
    String limit =
        override != null
            ? "the job's hang_timeout is " + minutes(override)
            : lastProgress == null
                ? "the start-up grace is " + minutes(threshold.get())
                : gaps.size() < 2
                    ? "the limit is " + minutes(threshold.get())
                    : "the limit is "
                        + minutes(threshold.get())
                        + " ("
                        + settings.multiple()
                        + " x the typical interval of "
                        + seconds(median())
                        + ", at least "
                        + minutes(settings.floor())
                        + ")";
    return Optional.of(what + "; " + limit);
  }

  private Duration median() {
    long[] millis = gaps.stream().mapToLong(Duration::toMillis).sorted().toArray();
    return Duration.ofMillis(millis.length == 0 ? 0 : millis[millis.length / 2]);
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  static String minutes(Duration d) {
    long s = d.toSeconds();
    return s < 120 ? s + " s" : (s / 60) + " min";
  }

  private static String seconds(Duration d) {
    return String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }

  @Override
  public String toString() {
    return "HangDetector" + Arrays.asList(lastProgress, progressLines, gaps.size());
  }
}
