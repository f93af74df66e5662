package dev.ajr.server.app;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The jobs Slurm's controller told of that wait for a look, oldest first, each once however often
 * it was told of, at most {@code capacity}: a burst beyond that (a thousand array tasks starting in
 * the same second) is dropped, and the next listing of the queue finds those jobs. Thread-safe.
 */
final class ToldJobs {

  static final int DEFAULT_CAPACITY = 10_000;

  private final int capacity;
  private final LinkedHashSet<Long> waiting = new LinkedHashSet<>();

  ToldJobs(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
    }
    this.capacity = capacity;
  }

  /** False when the job is not waiting already and there is no room for it. */
  synchronized boolean add(long jobId) {
    if (waiting.contains(jobId)) {
      return true;
    }
    if (waiting.size() >= capacity) {
      return false;
    }
    return waiting.add(jobId);
  }

  /** Removes and returns the oldest {@code max} (or fewer). */
  synchronized List<Long> take(int max) {
    List<Long> taken = new ArrayList<>(Math.min(max, waiting.size()));
    for (Iterator<Long> it = waiting.iterator(); it.hasNext() && taken.size() < max; ) {
      taken.add(it.next());
      it.remove();
    }
    return taken;
  }

  synchronized boolean isEmpty() {
    return waiting.isEmpty();
  }
}
