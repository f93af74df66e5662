package dev.ajr.benchmarks;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The bytes and lines a benchmark handled, reported by JMH per second beside the operations
 * (`:bytes` and `:lines` in its results).
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class LineVolume {
  public long bytes;
  public long lines;

  @Setup(Level.Iteration)
  public void clean() {
    bytes = 0;
    lines = 0;
  }

  /** Counts one operation's bytes and lines. */
  void add(long operationBytes, long operationLines) {
    bytes += operationBytes;
    lines += operationLines;
  }
}
