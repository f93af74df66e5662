package dev.ajr.core.testing;

/**
 * A line that counts how often its characters are read: the work a matcher does on it, measured
 * without a clock. {@link #toString()} counts a read of every character it copies.
 */
public final class CountingText implements CharSequence {

  private final String text;
  private final int offset;
  private final int length;
  private final long[] reads;

  public CountingText(String text) {
    this(text, 0, text.length(), new long[1]);
  }

  private CountingText(String text, int offset, int length, long[] reads) {
    this.text = text;
    this.offset = offset;
    this.length = length;
    this.reads = reads;
  }

  /** {@code unit} repeated, cut to {@code length} characters: a hostile line made of a piece. */
  public static String repeated(String unit, int length) {
    StringBuilder line = new StringBuilder(length + unit.length());
    while (line.length() < length) {
      line.append(unit);
    }
    return line.substring(0, length);
  }

  /** Characters read so far, through this sequence and every sub-sequence cut from it. */
  public long reads() {
    return reads[0];
  }

  @Override
  public int length() {
    return length;
  }

  @Override
  public char charAt(int index) {
    reads[0]++;
    return text.charAt(offset + index);
  }

  @Override
  public CharSequence subSequence(int start, int end) {
    return new CountingText(text, offset + start, end - start, reads);
  }

  /** The text, counted as a read of every character. */
  @Override
  public String toString() {
    reads[0] += length;
    return text.substring(offset, offset + length);
  }
}
