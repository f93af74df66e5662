package dev.ajr.server.app;

import dev.ajr.server.ingest.IngestPositions;
import dev.ajr.server.ingest.LokiLines;
import dev.ajr.server.ingest.StreamPosition;
import dev.ajr.server.ingest.loki.LokiCursor;
import dev.ajr.server.ingest.loki.LokiSettings;
import dev.ajr.server.ingest.loki.LokiSource;
import java.time.Clock;
import java.util.Set;

/**
 * Reads job output from Loki: a {@link LokiSource} whose entries go to {@link LokiLines} and whose
 * cursor is kept in the ingest positions (sender {@code loki-query}, stream = the query), so a
 * restart of ajr continues where it stopped. Entries at the very timestamp it stopped at may be
 * read again after a restart; the store's one-anomaly-per-line key absorbs them.
 */
final class LokiFollowing {

  static final String SENDER = "loki-query";

  private LokiFollowing() {}

  static LokiSource create(
      LokiSettings settings, LokiLines lines, IngestPositions positions, Clock clock) {
    String stream = settings.query();
    LokiCursor start =
        positions
            .load(SENDER, stream)
            .map(p -> new LokiCursor(p.position(), Set.of()))
            .orElse(null);
    LokiSource source = new LokiSource(settings, start, clock, lines::entry);
    long[] saved = {start == null ? Long.MIN_VALUE : start.startNanos()};
    source.onRound(cursor -> {
      if (cursor.startNanos() != saved[0]) {
        positions.save(SENDER, stream, new StreamPosition("", cursor.startNanos()));
        saved[0] = cursor.startNanos();
      }
    });
    return source;
  }
}
