package dev.ajr.core.detect;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts the matches of rules that need several lines ({@link Repeat}) in one output read in order.
 * Memory is bounded: per rule it keeps at most {@code count} line numbers. Not thread-safe: one
 * counter per output.
 */
public final class RepeatCounter {

  private final Map<String, ArrayDeque<Long>> recent = new HashMap<>();

  /**
   * Whether a match of rule {@code ruleId} at {@code lineNumber} counts: always for a rule that
   * needs one line; otherwise when it is at least the {@code count}-th match within {@code lines}.
   */
  public boolean counts(String ruleId, Repeat repeat, long lineNumber) {
    if (repeat.once()) {
      return true;
    }
    ArrayDeque<Long> lines = recent.computeIfAbsent(ruleId, id -> new ArrayDeque<>());
    while (!lines.isEmpty() && lines.peekFirst() <= lineNumber - repeat.lines()) {
      lines.removeFirst();
    }
    lines.addLast(lineNumber);
    if (lines.size() > repeat.count()) {
      lines.removeFirst();
    }
    return lines.size() >= repeat.count();
  }
}
