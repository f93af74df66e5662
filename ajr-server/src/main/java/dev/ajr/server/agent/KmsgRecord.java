package dev.ajr.server.agent;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * One record of the kernel's ring buffer as {@code /dev/kmsg} hands it out: {@code
 * "prio,seq,usec,flags[,...];message\n"} followed by optional {@code " KEY=value"} lines, with
 * unprintable bytes escaped as {@code \xNN} (Linux Documentation/ABI/testing/dev-kmsg).
 *
 * @param facility the syslog facility: 0 is the kernel itself; userspace writing to /dev/kmsg is
 *     never given 0, so only facility 0 is trusted kernel evidence
 * @param sequence the record's sequence number, growing within one boot
 * @param microsSinceBoot when it was logged, in microseconds of the kernel's monotonic clock
 */
public record KmsgRecord(
    int facility, int level, long sequence, long microsSinceBoot, String text) {

  /** Whether the kernel itself wrote it (not a program writing to /dev/kmsg). */
  public boolean fromKernel() {
    return facility == 0;
  }

  /** Parses one record; empty when it is not in the documented shape. */
  public static Optional<KmsgRecord> parse(byte[] data, int length) {
    int semicolon = -1;
    for (int i = 0; i < length; i++) {
      if (data[i] == ';') {
        semicolon = i;
        break;
      }
      if (data[i] == '\n') {
        return Optional.empty();
      }
    }
    if (semicolon < 0) {
      return Optional.empty();
    }
    String[] header = new String(data, 0, semicolon, StandardCharsets.US_ASCII).split(",");
    if (header.length < 3) {
      return Optional.empty();
    }
    try {
      int prio = Integer.parseInt(header[0]);
      long seq = Long.parseLong(header[1]);
      long usec = Long.parseLong(header[2]);
      int end = semicolon + 1;
      while (end < length && data[end] != '\n') {
        end++;
      }
      String text = unescape(data, semicolon + 1, end);
      return Optional.of(new KmsgRecord(prio >> 3, prio & 7, seq, usec, text));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The message with {@code \xNN} escapes turned back into bytes, decoded as UTF-8. */
  private static String unescape(byte[] data, int from, int to) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(to - from);
    for (int i = from; i < to; i++) {
      if (data[i] == '\\' && i + 3 < to && data[i + 1] == 'x') {
        int hi = Character.digit(data[i + 2], 16);
        int lo = Character.digit(data[i + 3], 16);
        if (hi >= 0 && lo >= 0) {
          out.write(hi << 4 | lo);
          i += 3;
          continue;
        }
      }
      out.write(data[i]);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
