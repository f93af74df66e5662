package dev.ajr.core.diagnosis;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Queue;

/**
 * Finds which of many literals occur in a text in one pass (Aho-Corasick). Matching is
 * case-insensitive for ASCII letters; literals are given in lowercase ASCII (a literal with other
 * characters never matches and is rejected by the rule parser). Immutable after construction and
 * thread-safe.
 *
 * <p>Design: a trie of the literals whose failure links are folded into a full transition table
 * over ASCII (a DFA), flattened into one array of row offsets (upper-case letters moving like
 * lower-case ones), so a scan costs one array lookup and no arithmetic per character whatever the
 * number of literals; a non-ASCII character goes back to the start state. A state at which some
 * literal ends is stored negated in the table, so the scan tests a sign bit per character and only
 * then looks at the literals that end there (including through the state's failure chain).
 */
final class AhoCorasick {

  private static final int ROW_SHIFT = 7;

  private static final int ALPHABET = 1 << ROW_SHIFT;

  /**
   * The row of the next state after (row of the state, c) is at {@code row + c}, rows being {@code
   * state * 128}; negated when the next state has output.
   */
  private final int[] table;

  private final int[][] output;

  /**
   * @param literals lowercase literals; the id of each is its index
   */
  AhoCorasick(List<String> literals) {
    List<int[]> trie = new ArrayList<>();
    List<List<Integer>> out = new ArrayList<>();
    trie.add(newRow());
    out.add(new ArrayList<>());
    for (int id = 0; id < literals.size(); id++) {
      int state = 0;
      for (char c : literals.get(id).toCharArray()) {
        if (c >= ALPHABET) {
          state = -1;
          break;
        }
        if (trie.get(state)[c] < 0) {
          trie.get(state)[c] = trie.size();
          trie.add(newRow());
          out.add(new ArrayList<>());
        }
        state = trie.get(state)[c];
      }
      if (state > 0) {
        out.get(state).add(id);
      }
    }
    int states = trie.size();
    int[] fail = new int[states];
    int[][] delta = new int[states][];
    delta[0] = new int[ALPHABET];
    Queue<Integer> queue = new ArrayDeque<>();
    for (int c = 0; c < ALPHABET; c++) {
      int child = trie.get(0)[c];
      delta[0][c] = child < 0 ? 0 : child;
      if (child > 0) {
        queue.add(child);
      }
    }
    while (!queue.isEmpty()) {
      int state = queue.remove();
      out.get(state).addAll(out.get(fail[state]));
      delta[state] = new int[ALPHABET];
      for (int c = 0; c < ALPHABET; c++) {
        int child = trie.get(state)[c];
        if (child < 0) {
          delta[state][c] = delta[fail[state]][c];
        } else {
          delta[state][c] = child;
          fail[child] = delta[fail[state]][c];
          queue.add(child);
        }
      }
    }
    output = new int[states][];
    for (int i = 0; i < states; i++) {
      output[i] = out.get(i).stream().mapToInt(Integer::intValue).distinct().toArray();
    }
    table = new int[states * ALPHABET];
    for (int state = 0; state < states; state++) {
      for (int c = 0; c < ALPHABET; c++) {
        // upper-case ASCII letters move like their lower-case ones: no case test in the scan
        int lower = c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
        int to = delta[state][lower];
        int offset = to * ALPHABET;
        table[state * ALPHABET + c] = output[to].length > 0 ? ~offset : offset;
      }
    }
  }

  private static int[] newRow() {
    int[] row = new int[ALPHABET];
    Arrays.fill(row, -1);
    return row;
  }

  /** Sets the bit of every literal found in the text. */
  void find(CharSequence text, BitSet found) {
    int[] t = table;
    int row = 0;
    for (int i = 0, n = text.length(); i < n; i++) {
      char c = text.charAt(i);
      if (c >= ALPHABET) {
        row = 0;
        continue;
      }
      int next = t[row + c];
      if (next < 0) {
        next = ~next;
        for (int id : output[next >>> ROW_SHIFT]) {
          found.set(id);
        }
      }
      row = next;
    }
  }

  /**
   * Whether the UTF-8 bytes hold a literal whose id is set in {@code wanted}. Gives the same answer
   * as {@link #find} on the decoded text: the bytes of a non-ASCII character are all 0x80 or above
   * and send the scan back to the start, as the character does.
   */
  boolean findAny(byte[] bytes, int offset, int length, BitSet wanted) {
    int[] t = table;
    int row = 0;
    for (int i = offset, end = offset + length; i < end; i++) {
      int c = bytes[i];
      if (c < 0) {
        row = 0;
        continue;
      }
      int next = t[row + c];
      if (next < 0) {
        next = ~next;
        for (int id : output[next >>> ROW_SHIFT]) {
          if (wanted.get(id)) {
            return true;
          }
        }
      }
      row = next;
    }
    return false;
  }
}
