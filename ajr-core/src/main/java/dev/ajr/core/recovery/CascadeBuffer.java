package dev.ajr.core.recovery;

import dev.ajr.core.detect.Anomaly;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cascade symptoms (an NCCL timeout, an elastic summary) waiting for the initiating error of their
 * attempt: each is held for the settle window, then handed back to be decided on. The first symptom
 * of an attempt is held; later ones of the same attempt are not (they are stored already, and one
 * decision is made per attempt). Thread-safe.
 */
final class CascadeBuffer {

  private record AttemptKey(long jobId, int attemptIndex) {}

  private record Pending(Anomaly anomaly, Instant due) {}

  private final Duration settle;
  private final Map<AttemptKey, Pending> pending = new LinkedHashMap<>();

  /**
   * @param settle how long a symptom waits; zero holds nothing
   */
  CascadeBuffer(Duration settle) {
    this.settle = settle;
  }

  /**
   * Holds the symptom until {@code now} plus the settle window, unless its attempt has one waiting.
   *
   * @return false when the window is zero: the symptom is to be decided on at once
   */
  synchronized boolean hold(Anomaly symptom, Instant now) {
    if (settle.isZero()) {
      return false;
    }
    pending.putIfAbsent(
        new AttemptKey(symptom.jobId(), symptom.attemptIndex()),
        new Pending(symptom, now.plus(settle)));
    return true;
  }

  /** Removes and returns the symptoms whose window is over at {@code now}, in the order held. */
  synchronized List<Anomaly> settled(Instant now) {
    List<Anomaly> due = new ArrayList<>();
    for (Iterator<Pending> it = pending.values().iterator(); it.hasNext(); ) {
      Pending p = it.next();
      if (!now.isBefore(p.due())) {
        due.add(p.anomaly());
        it.remove();
      }
    }
    return due;
  }
}
