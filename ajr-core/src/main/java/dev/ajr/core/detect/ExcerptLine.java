package dev.ajr.core.detect;

/**
 * One line of the log excerpt kept around an anomaly's root line.
 *
 * <p>Contract: the text is always safe to store and show as data: at most {@link #MAX_CHARS}
 * characters (a surrogate pair is never split), and every control character (except tab), every
 * unpaired surrogate and every bidirectional override or isolate is replaced by U+FFFD. The
 * canonical constructor enforces this, so a line read back from the store is as safe as a new one.
 * Lines printed by a job are untrusted input.
 *
 * @param lineNumber the line's 1-based position in its source (for kernel logs: its sequence
 *     number)
 * @param text the line, made safe
 * @param root whether this is the anomaly's root line
 */
public record ExcerptLine(long lineNumber, String text, boolean root) {

  /** Longest text kept per line, in characters. */
  public static final int MAX_CHARS = 500;

  private static final char REPLACEMENT = '\uFFFD';

  public ExcerptLine {
    text = safe(text);
  }

  /**
   * The text cut to {@link #MAX_CHARS} characters with control characters, unpaired surrogates and
   * bidirectional controls replaced by U+FFFD; null becomes empty.
   */
  public static String safe(String text) {
    if (text == null) {
      return "";
    }
    int end = Math.min(text.length(), MAX_CHARS);
    if (end < text.length()
        && Character.isHighSurrogate(text.charAt(end - 1))
        && Character.isLowSurrogate(text.charAt(end))) {
      end--; // never keep half of a pair
    }
    StringBuilder out = null;
    for (int i = 0; i < end; i++) {
      char c = text.charAt(i);
      boolean keep;
      if (Character.isHighSurrogate(c)) {
        keep = i + 1 < end && Character.isLowSurrogate(text.charAt(i + 1));
        if (keep) {
          if (out != null) {
            out.append(c).append(text.charAt(i + 1));
          }
          i++;
          continue;
        }
      } else {
        keep = !Character.isLowSurrogate(c) && !unsafe(c);
      }
      if (!keep && out == null) {
        out = new StringBuilder(end).append(text, 0, i);
      }
      if (out != null) {
        out.append(keep ? c : REPLACEMENT);
      }
    }
    if (out != null) {
      return out.toString();
    }
    return end == text.length() ? text : text.substring(0, end);
  }

  private static boolean unsafe(char c) {
    if (c == '\t') {
      return false;
    }
    return Character.isISOControl(c) // C0, DEL, C1
        || (c >= '\u202A' && c <= '\u202E') // bidirectional embeddings and overrides
        || (c >= '\u2066' && c <= '\u2069') // bidirectional isolates
        || c == '\u2028'
        || c == '\u2029'; // line and paragraph separators
  }
}
