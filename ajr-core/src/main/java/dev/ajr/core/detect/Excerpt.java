package dev.ajr.core.detect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * The rules of an anomaly's log excerpt: how many lines around the root line, how large it may be,
 * and how lines that arrive later join it. Pure.
 */
public final class Excerpt {

  /** Lines kept before the root line. */
  public static final int LINES_BEFORE = 8;

  /** Lines of the same stream appended after the root line. */
  public static final int LINES_AFTER = 4;

  /** Upper bound of an excerpt's stored size (its JSON encoding, in UTF-8 bytes). */
  public static final int MAX_BYTES = 16 * 1024;

  /**
   * What one line costs besides its text in the JSON encoding {@code
   * {"lineNumber":n,"text":"","root":false},}: 40 characters and up to 20 digits and a sign.
   */
  private static final int LINE_OVERHEAD = 64;

  private Excerpt() {}

  /**
   * The excerpt with {@code more} added: one line per line number (a line already kept stays as it
   * is, except that a root mark is never lost), ordered by line number, and at most {@link
   * #MAX_BYTES}: when it would be larger, the lines farthest from the root line are left out (the
   * root line itself always stays).
   */
  public static List<ExcerptLine> merge(List<ExcerptLine> kept, List<ExcerptLine> more) {
    TreeMap<Long, ExcerptLine> byNumber = new TreeMap<>();
    for (ExcerptLine l : kept) {
      byNumber.putIfAbsent(l.lineNumber(), l);
    }
    for (ExcerptLine l : more) {
      ExcerptLine old = byNumber.putIfAbsent(l.lineNumber(), l);
      if (old != null && l.root() && !old.root()) {
        byNumber.put(l.lineNumber(), l);
      }
    }
    List<ExcerptLine> all = new ArrayList<>(byNumber.values());
    if (size(all) <= MAX_BYTES) {
      return List.copyOf(all);
    }
    long root =
        all.stream()
            .filter(ExcerptLine::root)
            .mapToLong(ExcerptLine::lineNumber)
            .findFirst()
            .orElse(all.get(0).lineNumber());
    List<ExcerptLine> byCloseness = new ArrayList<>(all);
    byCloseness.sort(
        Comparator.comparingLong((ExcerptLine l) -> Math.abs(l.lineNumber() - root))
            .thenComparingLong(ExcerptLine::lineNumber));
    List<ExcerptLine> chosen = new ArrayList<>();
    int total = 2;
    for (ExcerptLine l : byCloseness) {
      int cost = cost(l);
      if (total + cost <= MAX_BYTES || chosen.isEmpty()) {
        chosen.add(l);
        total += cost;
      }
    }
    chosen.sort(Comparator.comparingLong(ExcerptLine::lineNumber));
    return List.copyOf(chosen);
  }

  /** An upper bound of the lines' JSON encoding in UTF-8 bytes. */
  public static int size(List<ExcerptLine> lines) {
    int total = 2;
    for (ExcerptLine l : lines) {
      total += cost(l);
    }
    return total;
  }

  private static int cost(ExcerptLine l) {
    int bytes = LINE_OVERHEAD;
    String t = l.text();
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c == '"' || c == '\\' || c == '\t') {
        bytes += 2;
      } else if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else {
        bytes += 3; // a surrogate pair is 4 bytes in all: 3 + 3 is an upper bound
      }
    }
    return bytes;
  }
}
