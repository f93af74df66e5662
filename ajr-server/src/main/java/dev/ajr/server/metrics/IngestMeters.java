package dev.ajr.server.metrics;

import dev.ajr.core.detect.LogLine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/** The meters of one ingest path: lines, their bytes, and the lag. Thread-safe. */
final class IngestMeters implements IngestMeter {

  private final Counter lines;
  private final Counter bytes;
  private final Timer lag;

  IngestMeters(AjrMeters meters, IngestMeter.Path path) {
    String label = path.label();
    this.lines = meters.counter(AjrMeters.INGEST_LINES, "log lines taken in", "path", label);
    this.bytes = meters.bytes(AjrMeters.INGEST_BYTES, "bytes of log lines taken in", "path", label);
    this.lag =
        meters.seconds(AjrMeters.INGEST_LAG, "from a line written to the line read", "path", label);
  }

  @Override
  public void took(LogLine line) {
    lines.increment();
    bytes.increment(utf8Length(line.text()));
    if (line.writtenAt() != null && line.readAt() != null) {
      Duration late = Duration.between(line.writtenAt(), line.readAt());
      lag.record(late.isNegative() ? Duration.ZERO : late);
    }
  }

  /** The length of the text in UTF-8, without encoding it. */
  static long utf8Length(String text) {
    long n = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }
}
