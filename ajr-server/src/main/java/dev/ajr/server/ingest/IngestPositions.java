package dev.ajr.server.ingest;

import java.time.Instant;
import java.util.Optional;

/**
 * Where each shipped stream was taken in up to, kept across restarts of ajr so a batch sent again
 * is recognised. Implementations are thread-safe.
 */
public interface IngestPositions {

  Optional<StreamPosition> load(String sender, String stream);

  void save(String sender, String stream, StreamPosition position);

  /** Drops streams not written to since {@code before}; returns how many. */
  int forgetOlderThan(Instant before);
}
