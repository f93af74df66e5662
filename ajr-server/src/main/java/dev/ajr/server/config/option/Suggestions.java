package dev.ajr.server.config.option;

import java.util.Collection;
import java.util.Optional;

/** The known word closest to a mistyped one ({@code recovery.mdoe} → {@code recovery.mode}). */
public final class Suggestions {

  private Suggestions() {}

  /**
   * The candidate closest to {@code word}, when it is close enough to be what was meant: at most
   * two edits (a swap of two neighbours counts as one), or a quarter of the word for long ones.
   */
  public static Optional<String> closest(String word, Collection<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      int d = distance(word, candidate);
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    int allowed = Math.max(2, word.length() / 4);
    return best != null && bestDistance <= allowed ? Optional.of(best) : Optional.empty();
  }

  /** The optimal-string-alignment distance: insertions, deletions, changes, neighbour swaps. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
