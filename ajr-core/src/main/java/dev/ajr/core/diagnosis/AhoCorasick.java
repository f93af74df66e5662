package dev.ajr.core.diagnosis;

import java.util.ArrayDeque;
import java.util.ArrayList;
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
 * over ASCII (a DFA), so a scan costs one array lookup per character, whatever the number of
 * literals; a non-ASCII character goes back to the start state. Each state keeps the ids of the
 * literals that end there, including through its failure chain.
 */
final class AhoCorasick {

  private static final int ALPHABET = 128;

  private final int[][] delta;
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
    int[] fail = new int[trie.size()];
    delta = new int[trie.size()][];
    delta[0] = new int[ALPHABET];
    Queue<Integer> queue = new ArrayDeque<>();
    for (int c = 0; c < ALPHABET; c++) {
      int child = trie.get(0)[c];
      delta[0][c] = child < 0 ? 0 : child;
      if (child > 0) {
        fail[child] = 0;
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
    output = new int[out.size()][];
    for (int i = 0; i < out.size(); i++) {
      output[i] = out.get(i).stream().mapToInt(Integer::intValue).distinct().toArray();
    }
  }

  private static int[] newRow() {
    int[] row = new int[ALPHABET];
    java.util.Arrays.fill(row, -1);
    return row;
  }

  /** Sets the bit of every literal found in the text. */
  void find(CharSequence text, BitSet found) {
    int state = 0;
    for (int i = 0, n = text.length(); i < n; i++) {
      char c = text.charAt(i);
      if (c >= ALPHABET) {
        state = 0;
        continue;
      }
      if (c >= 'A' && c <= 'Z') {
        c = (char) (c + ('a' - 'A'));
      }
      state = delta[state][c];
      int[] ids = output[state];
      for (int id : ids) {
        found.set(id);
      }
    }
  }
}
