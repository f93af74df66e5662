package dev.ajr.server.ingest.loki;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One log entry.
 *
 * @param timestampNanos when Loki (or the shipper) stamped the entry, in Unix epoch nanoseconds
 * @param line the text, cut to the configured maximum number of UTF-8 bytes (never in the middle of
 *     a character); bytes that are not UTF-8 are replaced by U+FFFD
 * @param truncated whether {@code line} was cut
 * @param metadata the entry's structured metadata in the order received; empty when it has none
 */
public record LokiEntry(
    long timestampNanos, String line, boolean truncated, Map<String, String> metadata) {

  public LokiEntry {
    Objects.requireNonNull(line, "line");
    metadata =
        metadata == null || metadata.isEmpty()
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
  }

  /** An entry without structured metadata. */
  public LokiEntry(long timestampNanos, String line, boolean truncated) {
    this(timestampNanos, line, truncated, Map.of());
  }
}
