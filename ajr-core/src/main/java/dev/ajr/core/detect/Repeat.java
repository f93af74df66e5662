package dev.ajr.core.detect;

/**
 * How often a rule's line must be seen before it counts: {@code count} matching lines of the same
 * output, each at most {@code lines} lines after the first of them. One line that a framework
 * prints now and then in a healthy run (a mixed-precision step skipped on an overflow) is normal;
 * the same line on step after step is the failure.
 *
 * @param count matching lines needed, at least 1
 * @param lines how far apart, in lines of the same output, they may lie; ignored when count is 1
 */
public record Repeat(int count, int lines) {

  /** A single line is enough: the default of every rule. */
  public static final Repeat ONCE = new Repeat(1, 0);

  public Repeat {
    if (count < 1) {
      throw new IllegalArgumentException("repeat count must be at least 1, was " + count);
    }
    if (count > 1 && lines < count) {
      throw new IllegalArgumentException(
          "repeat lines must be at least the count (" + count + "), was " + lines);
    }
  }

  public boolean once() {
    return count == 1;
  }
}
