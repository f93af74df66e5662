package dev.ajr.core.progress;

import dev.ajr.core.detect.AnomalyType;
import dev.ajr.core.tracking.ActiveAttempt;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongFunction;

/**
 * Watches the progress of every running attempt and says when one hangs or slows down.
 *
 * <p>Lines come from the log follower ({@link #onLine}); the running attempts and their start times
 * from the tracker ({@link #update}); {@link #check} is called now and then with the time and
 * returns new verdicts. State lives as long as the attempt runs. Thread-safe (synchronized: the
 * work per line is a few {@code contains} calls).
 */
public final class ProgressMonitor {

  /** A hung or slowed-down attempt. */
  public record Verdict(long jobId, int attemptIndex, AnomalyType type, String text, int rank) {}

  /** An attempt's progress so far, for people and the API. */
  public record Snapshot(
      long progressLines, long lastIteration, Instant lastProgressAt, Instant lastCheckpointAt) {}

  private final HangSettings hang;
  private final StragglerSettings straggler;
  private final LongFunction<Optional<Duration>> hangTimeoutOf;
  private final ProgressParser parser = new ProgressParser();
  private final Map<Long, Watched> attempts = new HashMap<>();
  private final Set<Long> jobsWithProgress = new HashSet<>();

  /**
   * @param hangTimeoutOf the job's own hang timeout (the APS key {@code hang_timeout}), if any
   */
  public ProgressMonitor(
      HangSettings hang,
      StragglerSettings straggler,
      LongFunction<Optional<Duration>> hangTimeoutOf) {
    this.hang = hang;
    this.straggler = straggler;
    this.hangTimeoutOf = hangTimeoutOf;
  }

  private static final class Watched {
    final int attemptIndex;
    final HangDetector hang;
    final StragglerDetector stragglers;
    final Map<Integer, long[]> lastIterationOfRank = new HashMap<>();
    long progressLines;
    long lastIteration = -1;
    Instant lastProgressAt;
    Instant lastCheckpointAt;

    Watched(int attemptIndex, HangDetector hang, StragglerDetector stragglers) {
      this.attemptIndex = attemptIndex;
      this.hang = hang;
      this.stragglers = stragglers;
    }
  }

  /** The attempts running now; others are forgotten. */
  public synchronized void update(List<ActiveAttempt> active) {
    Set<Long> running = new HashSet<>();
    for (ActiveAttempt a : active) {
      if (!a.running() || a.startTime() == null) {
        continue;
      }
      running.add(a.jobId());
      Watched w = attempts.get(a.jobId());
      if (w == null || w.attemptIndex != a.attemptIndex()) {
        Duration override = hangTimeoutOf.apply(a.jobId()).orElse(null);
        attempts.put(
            a.jobId(),
            new Watched(
                a.attemptIndex(),
                new HangDetector(
                    hang, a.startTime(), override, jobsWithProgress.contains(a.jobId())),
                new StragglerDetector(straggler)));
      }
    }
    attempts.keySet().retainAll(running);
    jobsWithProgress.retainAll(
        active.stream().map(ActiveAttempt::jobId).collect(java.util.stream.Collectors.toSet()));
  }

  /**
   * One line of an attempt's output, read at {@code at}.
   *
   * @return the progress the line shows, when the attempt is watched (running) and it shows some
   */
  public synchronized Optional<ProgressEvent> onLine(
      long jobId, int attemptIndex, String text, Instant at) {
    Watched w = attempts.get(jobId);
    if (w == null || w.attemptIndex != attemptIndex) {
      return Optional.empty();
    }
    Optional<ProgressEvent> event = parser.parse(text);
    if (event.isEmpty()) {
      return event;
    }
    ProgressEvent e = event.get();
    w.hang.progress(at);
    w.progressLines++;
    w.lastProgressAt = at;
    jobsWithProgress.add(jobId);
    if (e.kind() == ProgressEvent.Kind.CHECKPOINT_SAVED) {
      w.lastCheckpointAt = at;
      return event;
    }
    if (e.kind() != ProgressEvent.Kind.ITERATION) {
      return event;
    }
    if (e.iteration() >= 0) {
      w.lastIteration = Math.max(w.lastIteration, e.iteration());
    }
    double seconds = e.secondsPerIteration();
    if (Double.isNaN(seconds) && e.iteration() >= 0) {
      long[] previous = w.lastIterationOfRank.get(e.rank());
      if (previous != null && e.iteration() > previous[0]) {
        seconds = (at.toEpochMilli() - previous[1]) / 1000.0 / (e.iteration() - previous[0]);
      }
    }
    if (e.iteration() >= 0) {
      w.lastIterationOfRank.put(e.rank(), new long[] {e.iteration(), at.toEpochMilli()});
    }
    w.stragglers.iteration(e.rank(), seconds);
    return event;
  }

  /**
   * Progress of an attempt seen by another replica of ajr (its progress marks in the shared store),
   * so this replica does not take an attempt whose lines went elsewhere for hung. Counts for the
   * hang detector only; iteration times stay with the lines this replica reads.
   */
  public synchronized void progressSeenElsewhere(long jobId, int attemptIndex, Instant at) {
    Watched w = attempts.get(jobId);
    if (w == null || w.attemptIndex != attemptIndex) {
      return;
    }
    if (w.lastProgressAt != null && !at.isAfter(w.lastProgressAt)) {
      return;
    }
    w.hang.progress(at);
    w.lastProgressAt = at;
    jobsWithProgress.add(jobId);
  }

  /** New verdicts at time {@code now}. */
  public synchronized List<Verdict> check(Instant now) {
    List<Verdict> verdicts = new ArrayList<>();
    for (Map.Entry<Long, Watched> entry : attempts.entrySet()) {
      Watched w = entry.getValue();
      w.hang
          .check(now)
          .ifPresent(text ->
              verdicts.add(
                  new Verdict(entry.getKey(), w.attemptIndex, AnomalyType.HANG, text, -1)));
      for (String text : w.stragglers.check()) {
        int rank = w.stragglers.slowestRank().orElse(-1);
        verdicts.add(
            new Verdict(entry.getKey(), w.attemptIndex, AnomalyType.STRAGGLER, text, rank));
      }
    }
    return verdicts;
  }

  /** What is known of the attempt's progress, if it is watched. */
  public synchronized Optional<Snapshot> snapshot(long jobId) {
    Watched w = attempts.get(jobId);
    return w == null
        ? Optional.empty()
        : Optional.of(
            new Snapshot(w.progressLines, w.lastIteration, w.lastProgressAt, w.lastCheckpointAt));
  }
}
