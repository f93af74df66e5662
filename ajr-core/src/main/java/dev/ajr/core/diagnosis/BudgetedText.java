package dev.ajr.core.diagnosis;

/**
 * A line that a backtracking engine may read only so many characters of: reading one more throws
 * {@link Exhausted}. This is how the fast engine is kept to linear work (see {@link RulePattern}).
 * Not thread-safe: one per match.
 */
final class BudgetedText implements CharSequence {

  /** Thrown when the budget is spent; carries no stack trace, as it is expected. */
  static final class Exhausted extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Exhausted() {
      super("read budget spent", null, false, false);
    }
  }

  private static final Exhausted EXHAUSTED = new Exhausted();

  private final CharSequence text;
  private final int offset;
  private final int length;
  private final long[] left;

  BudgetedText(CharSequence text, long budget) {
    this(text, 0, text.length(), new long[] {budget});
  }

  private BudgetedText(CharSequence text, int offset, int length, long[] left) {
    this.text = text;
    this.offset = offset;
    this.length = length;
    this.left = left;
  }

  @Override
  public int length() {
    return length;
  }

  @Override
  public char charAt(int index) {
    if (--left[0] < 0) {
      throw EXHAUSTED;
    }
    return text.charAt(offset + index);
  }

  @Override
  public CharSequence subSequence(int start, int end) {
    return new BudgetedText(text, offset + start, end - start, left);
  }

  @Override
  public String toString() {
    return text.subSequence(offset, offset + length).toString();
  }
}
