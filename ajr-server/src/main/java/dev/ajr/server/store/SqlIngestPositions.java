package dev.ajr.server.store;

import dev.ajr.server.ingest.IngestPositions;
import dev.ajr.server.ingest.StreamPosition;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@link IngestPositions} in the {@code ingest_positions} table. Thread-safe. */
public final class SqlIngestPositions implements IngestPositions {

  private static final List<String> COLUMNS =
      List.of("node", "stream", "generation", "position", "updated_at");

  private final Database db;
  private final Clock clock;

  public SqlIngestPositions(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  @Override
  public Optional<StreamPosition> load(String sender, String stream) {
    return db.queryOne(
        "SELECT generation, position FROM ingest_positions WHERE node = ? AND stream = ?",
        r -> new StreamPosition(r.getString("generation"), r.getLong("position")),
        sender,
        stream);
  }

  @Override
  public void save(String sender, String stream, StreamPosition p) {
    db.update(
        db.dialect()
            .upsert(
                "ingest_positions",
                List.of("node", "stream"),
                COLUMNS,
                COLUMNS.subList(2, COLUMNS.size())),
        sender,
        stream,
        p.generation(),
        p.position(),
        clock.instant());
  }

  @Override
  public int forgetOlderThan(Instant before) {
    return db.update("DELETE FROM ingest_positions WHERE updated_at < ?", before);
  }
}
