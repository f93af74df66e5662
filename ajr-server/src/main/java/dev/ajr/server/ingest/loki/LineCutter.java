package dev.ajr.server.ingest.loki;

import java.nio.charset.StandardCharsets;

/**
 * Turns log line bytes or strings into text of at most a given number of UTF-8 bytes.
 *
 * <p>Contract: a line is cut at the last character boundary at or before the limit, never in the
 * middle of a multi-byte character; bytes that are not UTF-8 become U+FFFD. Only the kept bytes are
 * decoded, so a 10 MB line costs no more than the limit.
 */
final class LineCutter {

  /** A line as kept. */
  record Cut(String text, boolean truncated) {}

  private final int maxLineBytes;

  LineCutter(int maxLineBytes) {
    if (maxLineBytes < 4) {
      throw new IllegalArgumentException("maxLineBytes must be at least 4, was " + maxLineBytes);
    }
    this.maxLineBytes = maxLineBytes;
  }

  Cut cut(byte[] bytes, int offset, int length) {
    if (length <= maxLineBytes) {
      return new Cut(new String(bytes, offset, length, StandardCharsets.UTF_8), false);
    }
    int end = offset + maxLineBytes;
    // bytes[end] is the first byte left out; while it continues a character, leave that whole
    // character out (UTF-8 characters have at most three continuation bytes).
    for (int i = 0; i < 3 && end > offset && (bytes[end] & 0xC0) == 0x80; i++) {
      end--;
    }
    return new Cut(new String(bytes, offset, end - offset, StandardCharsets.UTF_8), true);
  }

  Cut cut(String line) {
    // A char is at most three UTF-8 bytes (a surrogate pair, two chars, is four).
    if (line.length() <= maxLineBytes / 3) {
      return new Cut(line, false);
    }
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= maxLineBytes) {
      return new Cut(line, false);
    }
    return cut(bytes, 0, bytes.length);
  }
}
