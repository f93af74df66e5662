package dev.ajr.server.metrics;

import dev.ajr.core.detect.LogLine;
import java.util.Locale;

/**
 * What one ingest path reports about each line it takes in (the line's size, and how long after it
 * was written it was read). Implementations are thread-safe and cheap: they are called for every
 * line.
 */
@FunctionalInterface
public interface IngestMeter {

  /** Records nothing (tests, and parts built without metrics). */
  IngestMeter NONE = line -> {};

  /** The ways lines reach ajr. */
  enum Path {
    /** The server's log follower, on the shared filesystem. */
    FILE,
    /** Node agents ({@code POST /api/v1/agent/lines}). */
    AGENT,
    /** Shippers pushing to {@code /loki/api/v1/push}. */
    LOKI_PUSH,
    /** ajr's own range queries against Loki ({@code loki.url}). */
    LOKI_QUERY;

    /** The label value: {@code file}, {@code agent}, {@code loki_push}, {@code loki_query}. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** One line taken in. */
  void took(LogLine line);
}
