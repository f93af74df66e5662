package dev.ajr.server.cli;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The last few lines of a file, kept as text or as UTF-8 bytes and decoded only when asked for: the
 * context shown before a finding, at the cost of a copy per line rather than a decoding. The byte
 * buffers are reused. Not thread-safe.
 */
final class RecentLines {

  private final String[] texts;
  private final byte[][] bytes;
  private final int[] lengths;
  private int next;
  private int size;

  RecentLines(int capacity) {
    texts = new String[capacity];
    bytes = new byte[capacity][];
    lengths = new int[capacity];
    Arrays.fill(bytes, new byte[0]);
  }

  void add(String text) {
    texts[next] = text;
    advance();
  }

  void add(byte[] source, int offset, int length) {
    if (bytes[next].length < length) {
      bytes[next] = new byte[Math.max(length, 2 * bytes[next].length)];
    }
    System.arraycopy(source, offset, bytes[next], 0, length);
    lengths[next] = length;
    texts[next] = null;
    advance();
  }

  /** The lines, oldest first. */
  List<String> texts() {
    List<String> result = new ArrayList<>(size);
    for (int k = size; k > 0; k--) {
      int at = Math.floorMod(next - k, texts.length);
      result.add(
          texts[at] != null
              ? texts[at]
              : new String(bytes[at], 0, lengths[at], StandardCharsets.UTF_8));
    }
    return result;
  }

  private void advance() {
    next = (next + 1) % texts.length;
    size = Math.min(size + 1, texts.length);
  }
}
