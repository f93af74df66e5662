package dev.ajr.server.ingest;

import dev.ajr.core.detect.ExcerptLine;
import java.util.ArrayList;
import java.util.List;

/**
 * The last lines seen of one stream, for the excerpt around an anomaly: a ring of at most {@code
 * capacity} lines, each made safe and cut to {@link ExcerptLine#MAX_CHARS} characters as it is
 * added, so one stream holds at most {@code capacity × 500} characters however long its lines are.
 *
 * <p>Contract: lines are kept in the order they were added, oldest first; the oldest is dropped
 * when the ring is full. A line number that does not grow means the source started again (a
 * requeued job's rewritten standard output): the ring forgets what it held and starts with that
 * line; a line number equal to the newest kept one (the same line handed on twice) is ignored. Not
 * thread-safe: its owner synchronizes.
 */
final class RecentLines {

  private final ExcerptLine[] ring;
  private int start;
  private int size;

  RecentLines(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
    }
    this.ring = new ExcerptLine[capacity];
  }

  /**
   * Adds a line.
   *
   * @return false when the line number went back, so the stream restarted and the ring was cleared
   *     before the line was added
   */
  boolean add(long lineNumber, String text) {
    boolean continued = true;
    if (size > 0) {
      long newest = newest().lineNumber();
      if (lineNumber == newest) {
        return true;
      }
      if (lineNumber < newest) {
        clear();
        continued = false;
      }
    }
    ExcerptLine line = new ExcerptLine(lineNumber, text, false);
    if (size < ring.length) {
      ring[(start + size) % ring.length] = line;
      size++;
    } else {
      ring[start] = line;
      start = (start + 1) % ring.length;
    }
    return continued;
  }

  /** The lines held, oldest first. */
  List<ExcerptLine> lines() {
    List<ExcerptLine> out = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      out.add(ring[(start + i) % ring.length]);
    }
    return out;
  }

  /** The line with this number, or null when it is not held. */
  ExcerptLine line(long lineNumber) {
    for (int i = 0; i < size; i++) {
      ExcerptLine l = ring[(start + i) % ring.length];
      if (l.lineNumber() == lineNumber) {
        return l;
      }
    }
    return null;
  }

  int size() {
    return size;
  }

  private ExcerptLine newest() {
    return ring[(start + size - 1) % ring.length];
  }

  private void clear() {
    java.util.Arrays.fill(ring, null);
    start = 0;
    size = 0;
  }
}
