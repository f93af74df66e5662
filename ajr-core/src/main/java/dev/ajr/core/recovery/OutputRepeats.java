package dev.ajr.core.recovery;

import dev.ajr.core.detect.Detection;
import dev.ajr.core.detect.LogLine;
import dev.ajr.core.detect.RepeatCounter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts, per output of an attempt (job, attempt, source), the matches of rules that need several
 * lines before they make an anomaly ({@link dev.ajr.core.detect.Repeat}). Only outputs that had
 * such a match are kept, and at most {@value #MAX_OUTPUTS} of them (the least recently used go), so
 * memory stays bounded however many jobs run. Thread-safe.
 */
final class OutputRepeats {

  static final int MAX_OUTPUTS = 10_000;

  private record Output(long jobId, int attemptIndex, String source) {}

  private final Map<Output, RepeatCounter> counters =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Output, RepeatCounter> eldest) {
          return size() > MAX_OUTPUTS;
        }
      };

  /** Whether the detection made on {@code line} counts now (see {@link RepeatCounter#counts}). */
  boolean counts(long jobId, int attemptIndex, LogLine line, Detection d) {
    if (d.repeat().once()) {
      return true;
    }
    synchronized (counters) {
      return counters
          .computeIfAbsent(new Output(jobId, attemptIndex, line.source()), o -> new RepeatCounter())
          .counts(d.ruleId(), d.repeat(), line.lineNumber());
    }
  }
}
