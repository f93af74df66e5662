package dev.ajr.benchmarks;

import java.util.ArrayList;
import java.util.List;

/**
 * A training log with long lines built to make a backtracking regular-expression engine go
 * quadratic, for benchmarks: one phrase that rules look for, repeated over the whole line without
 * the rest a pattern needs ({@code LustreError: LustreError: ...}, {@code NCCL WARN NET/IB : NCCL
 * WARN NET/IB : ...}, {@code Xid (PCI:0000:Xid (PCI:0000:...}, {@code a a a ... NCCL}, {@code CUDA
 * error: CUDA error: ...}, {@code NCCL WARN} and a run of spaces), so that a pattern such as {@code
 * LustreError: .*(?:evicted|...)} tries every start and scans to the end of the line each time.
 *
 * <p>In every {@link #CYCLE} lines: one line of {@link #LONG_LINE} characters, {@link
 * #SHORT_PER_CYCLE} lines of {@link #SHORT_LINE} characters (the kinds taking turns), and realistic
 * lines ({@link RealisticTrainingLog}) for the rest. The same seed gives the same lines. Not
 * thread-safe.
 */
public final class PathologicalTrainingLog {

  /** 8 KiB: the part of a line the rule engine matches. */
  public static final int SHORT_LINE = 8 * 1024;

  /** 1 MiB: longer than any reader keeps of a line. */
  public static final int LONG_LINE = 1024 * 1024;

  /** Lines per cycle. */
  public static final int CYCLE = 1000;

  /** Lines of {@link #SHORT_LINE} per cycle. */
  public static final int SHORT_PER_CYCLE = 10;

  /** A phrase repeated, what ends the line, and what starts it. */
  private record Kind(String start, String unit, String end) {

    String build(int length) {
      StringBuilder b = new StringBuilder(length);
      b.append(start);
      int body = length - end.length();
      while (b.length() + unit.length() <= body) {
        b.append(unit);
      }
      while (b.length() < body) {
        b.append(' ');
      }
      return b.append(end).toString();
    }
  }

  private static final List<Kind> KINDS =
      List.of(
          new Kind("", "LustreError: ", ""),
          new Kind("gpu-h100-017:2291817:2292914 [3] ", "NCCL WARN NET/IB : ", ""),
          new Kind("NVRM: ", "Xid (PCI:0000:", ""),
          new Kind("", "a ", "NCCL"),
          new Kind("[rank5]: ", "CUDA error: ", ""),
          new Kind("gpu-h100-017:2291817:2292914 [3] NCCL WARN", " ", "x"));

  private final RealisticTrainingLog ordinary;
  private final String[] shortLines = new String[KINDS.size()];
  private final String[] longLines = new String[KINDS.size()];
  private long produced;
  private int nextShort;
  private int nextLong;

  public PathologicalTrainingLog(long seed) {
    this.ordinary = new RealisticTrainingLog(seed);
    for (int k = 0; k < KINDS.size(); k++) {
      shortLines[k] = KINDS.get(k).build(SHORT_LINE);
    }
  }

  /** The first {@code count} lines of the stream of {@code seed}. */
  public static List<String> lines(int count, long seed) {
    PathologicalTrainingLog log = new PathologicalTrainingLog(seed);
    List<String> lines = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      lines.add(log.next());
    }
    return lines;
  }

  /** How many phrases {@link #repeatedPhrase} repeats. */
  static int phrases() {
    return KINDS.size();
  }

  /**
   * A line of {@code length} characters (all ASCII) made of phrase {@code kind} (modulo {@link
   * #phrases}) repeated, as the long lines of this log are.
   */
  static String repeatedPhrase(int kind, int length) {
    return KINDS.get(Math.floorMod(kind, KINDS.size())).build(length);
  }

  /** The failure planted at the very end of the log, as for {@link RealisticTrainingLog}. */
  public String finalFailure() {
    return ordinary.finalFailure();
  }

  /** The next line. */
  public String next() {
    int position = (int) (produced++ % CYCLE);
    if (position == CYCLE / 2) {
      int k = nextLong++ % KINDS.size();
      if (longLines[k] == null) {
        longLines[k] = KINDS.get(k).build(LONG_LINE);
      }
      return longLines[k];
    }
    if (position % (CYCLE / SHORT_PER_CYCLE) == CYCLE / SHORT_PER_CYCLE / 4) {
      return shortLines[nextShort++ % KINDS.size()];
    }
    return ordinary.next();
  }
}
