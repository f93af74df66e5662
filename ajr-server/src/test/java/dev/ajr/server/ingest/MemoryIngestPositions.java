package dev.ajr.server.ingest;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Ingest positions kept in memory, as the SQL table keeps them. */
public final class MemoryIngestPositions implements IngestPositions {

  public final Map<String, StreamPosition> saved = new ConcurrentHashMap<>();
  public volatile int saves;

  @Override
  public Optional<StreamPosition> load(String sender, String stream) {
    return Optional.ofNullable(saved.get(sender + "|" + stream));
  }

  @Override
  public void save(String sender, String stream, StreamPosition position) {
    saves++;
    saved.put(sender + "|" + stream, position);
  }

  @Override
  public int forgetOlderThan(Instant before) {
    return 0;
  }
}
