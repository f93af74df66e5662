package dev.ajr.core.diagnosis;

import java.util.ArrayList;
import java.util.List;

/**
 * Plain text every match of a regular expression contains, found by reading the expression: one of
 * a few runs of text, any of which may be the one. {@code NCCL WARN NET/IB ?: Got completion} needs
 * {@code NCCL WARN NET/IB}; {@code Timeout at NCCL work|Watchdog caught} needs {@code Timeout at
 * NCCL work} or {@code Watchdog caught}. A line with none of them cannot match, which a substring
 * search finds out far faster than the expression engine. Pure.
 *
 * <p>Contract: {@link #of} answers null when it cannot be sure (mode flags other than a leading
 * {@code (?i)}, a case-insensitive run with non-ASCII letters, a branch of an alternation with no
 * run) or when a run would be too short to be worth a search; runs it answers are always required.
 * Groups that must occur are read like the top level; classes, escapes that stand for classes,
 * anchors and groups that may be left out end a run, and a character with {@code ?}, {@code *} or
 * {@code {..}} after it is left out.
 */
final class RequiredText {

  /** Runs shorter than this are not worth a search of their own. */
  static final int MIN_LENGTH = 4;

  private final List<String> runs;
  private final boolean ignoreCase;

  private RequiredText(List<String> runs, boolean ignoreCase) {
    this.runs = List.copyOf(runs);
    this.ignoreCase = ignoreCase;
  }

  /** The runs, one of which every match contains. */
  List<String> runs() {
    return runs;
  }

  boolean ignoreCase() {
    return ignoreCase;
  }

  /** The required runs of {@code regex}, or null. */
  static RequiredText of(String regex) {
    boolean ignoreCase = regex.startsWith("(?i)");
    List<String> runs;
    try {
      runs = new Reader(regex).anyOf(ignoreCase ? 4 : 0, regex.length());
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (runs == null
        || ignoreCase && !runs.stream().allMatch(r -> r.chars().allMatch(ch -> ch < 128))) {
      return null;
    }
    return new RequiredText(runs, ignoreCase);
  }

  /** Whether {@code line} contains one of the runs; at most (line length x run lengths) reads. */
  boolean in(CharSequence line) {
    for (String run : runs) {
      if (contains(line, run)) {
        return true;
      }
    }
    return false;
  }

  private boolean contains(CharSequence line, String text) {
    if (!ignoreCase && line instanceof String s) {
      return s.contains(text);
    }
    int last = line.length() - text.length();
    char first = text.charAt(0);
    for (int at = 0; at <= last; at++) {
      if (same(line.charAt(at), first) && rest(line, at, text)) {
        return true;
      }
    }
    return false;
  }

  private boolean rest(CharSequence line, int at, String text) {
    for (int k = 1; k < text.length(); k++) {
      if (!same(line.charAt(at + k), text.charAt(k))) {
        return false;
      }
    }
    return true;
  }

  private boolean same(char a, char b) {
    if (a == b) {
      return true;
    }
    if (!ignoreCase) {
      return false;
    }
    if (a >= 128) {
      // the only non-ASCII letters that fold to ASCII ones: KELVIN SIGN and LATIN SMALL LONG S
      return a == '\u212A' && (b | 0x20) == 'k' || a == '\u017F' && (b | 0x20) == 's';
    }
    return Character.toLowerCase(a) == Character.toLowerCase(b);
  }

  /** Reads the structure of one expression; throws IllegalArgumentException when unsure. */
  private static final class Reader {

    private final String regex;

    Reader(String regex) {
      this.regex = regex;
    }

    /** Runs, one of which every match of regex[from, to) contains; null if there are none. */
    List<String> anyOf(int from, int to) {
      List<String> all = new ArrayList<>();
      int branchStart = from;
      for (int i = from; i <= to; i++) {
        if (i == to || regex.charAt(i) == '|') {
          List<String> branch = sequence(branchStart, i);
          if (branch == null) {
            return null;
          }
          all.addAll(branch);
          branchStart = i + 1;
        } else if (regex.charAt(i) == '\\') {
          i++;
        } else if (regex.charAt(i) == '[') {
          i = skipClass(regex, i) - 1;
        } else if (regex.charAt(i) == '(') {
          i = skipGroup(regex, i) - 1;
        }
      }
      return all;
    }

    /** The best requirement of a sequence without top-level alternation, or null. */
    private List<String> sequence(int from, int to) {
      StringBuilder run = new StringBuilder();
      List<String> best = null;
      int i = from;
      while (i < to) {
        char c = regex.charAt(i);
        if (c == '(') {
          best = better(best, run);
          int close = closing(i);
          int after = skipQuantifier(regex, close + 1);
          boolean optional = after > close + 1 && regex.charAt(close + 1) != '+';
          if (regex.startsWith("(?", i)) {
            char kind = i + 2 < to ? regex.charAt(i + 2) : 0;
            if (kind != ':' && kind != '<') {
              throw new IllegalArgumentException("mode flags or lookaround");
            }
          }
          if (!optional) {
            int inner = regex.startsWith("(?:", i) ? i + 3 : i + 1;
            if (regex.startsWith("(?<", i)) {
              inner = regex.indexOf('>', i) + 1;
            }
            best = better(best, anyOf(inner, close));
          }
          i = after;
          continue;
        }
        if (c == '[') {
          best = better(best, run);
          i = skipClass(regex, i);
          continue;
        }
        if (c == '.' || c == '^' || c == '$' || c == '?' || c == '*' || c == '+' || c == '{') {
          best = better(best, run);
          i = c == '.' || c == '^' || c == '$' ? i + 1 : skipQuantifier(regex, i);
          continue;
        }
        char literal;
        int next;
        if (c == '\\') {
          if (i + 1 >= to) {
            throw new IllegalArgumentException("trailing backslash");
          }
          char escaped = regex.charAt(i + 1);
          if (Character.isLetterOrDigit(escaped)) {
            best = better(best, run);
            i = escaped == 'p' || escaped == 'P' ? skipProperty(regex, i) : i + 2;
            continue;
          }
          literal = escaped;
          next = i + 2;
        } else {
          literal = c;
          next = i + 1;
        }
        char after = next < to ? regex.charAt(next) : 0;
        if (after == '?' || after == '*' || after == '{') {
          best = better(best, run);
          i = skipQuantifier(regex, next);
          continue;
        }
        run.append(literal);
        if (after == '+') {
          best = better(best, run);
          i = skipQuantifier(regex, next);
          continue;
        }
        i = next;
      }
      return better(best, run);
    }

    private int closing(int open) {
      return skipGroup(regex, open) - 1;
    }

    private static List<String> better(List<String> best, StringBuilder run) {
      String text = run.toString();
      run.setLength(0);
      return better(best, text.length() >= MIN_LENGTH ? List.of(text) : null);
    }

    /** The stronger requirement: the one whose shortest run is longest. */
    private static List<String> better(List<String> a, List<String> b) {
      if (b == null || b.isEmpty() || shortest(b) < MIN_LENGTH) {
        return a;
      }
      if (a == null) {
        return b;
      }
      return shortest(b) > shortest(a) ? b : a;
    }

    private static int shortest(List<String> runs) {
      return runs.stream().mapToInt(String::length).min().orElse(0);
    }
  }

  /** The index after the group opening at {@code open}. */
  private static int skipGroup(String regex, int open) {
    int depth = 0;
    for (int i = open; i < regex.length(); i++) {
      char c = regex.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '[') {
        i = skipClass(regex, i) - 1;
      } else if (c == '(') {
        depth++;
      } else if (c == ')' && --depth == 0) {
        return i + 1;
      }
    }
    throw new IllegalArgumentException("unclosed group");
  }

  /** The index after the class opening at {@code open}, quantifier included. */
  private static int skipClass(String regex, int open) {
    int i = open + 1;
    if (i < regex.length() && regex.charAt(i) == '^') {
      i++;
    }
    if (i < regex.length() && regex.charAt(i) == ']') {
      i++;
    }
    for (; i < regex.length(); i++) {
      char c = regex.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '[' && regex.startsWith("[:", i)) {
        int end = regex.indexOf(":]", i + 2);
        if (end < 0) {
          throw new IllegalArgumentException("unclosed class");
        }
        i = end + 1;
      } else if (c == ']') {
        return skipQuantifier(regex, i + 1);
      }
    }
    throw new IllegalArgumentException("unclosed class");
  }

  private static int skipProperty(String regex, int backslash) {
    int i = backslash + 2;
    if (i < regex.length() && regex.charAt(i) == '{') {
      int end = regex.indexOf('}', i);
      i = end < 0 ? regex.length() : end + 1;
    } else {
      i++;
    }
    return skipQuantifier(regex, i);
  }

  /** The index after a quantifier (and its lazy mark) starting at {@code i}, or {@code i}. */
  private static int skipQuantifier(String regex, int i) {
    if (i >= regex.length()) {
      return i;
    }
    char c = regex.charAt(i);
    if (c == '?' || c == '*' || c == '+') {
      i++;
    } else if (c == '{') {
      int end = regex.indexOf('}', i);
      if (end < 0) {
        return i + 1;
      }
      i = end + 1;
    } else {
      return i;
    }
    if (i < regex.length() && regex.charAt(i) == '?') {
      i++;
    }
    return i;
  }
}
