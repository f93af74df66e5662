package dev.ajr.server.store;

import dev.ajr.server.events.EventMessages;
import dev.ajr.server.events.Outbox;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** The {@link Outbox} in the {@code outbox} table of ajr's database (migration V11). */
public final class SqlOutbox implements Outbox {

  private final Database db;

  public SqlOutbox(Database db) {
    this.db = db;
  }

  @Override
  public void append(EventMessages.Message message, Instant at) {
    db.update(
        "INSERT INTO outbox (event_id, event_type, routing_key, payload, created_at)"
            + " VALUES (?, ?, ?, ?, ?)",
        message.id().toString(),
        message.type(),
        message.routingKey(),
        message.json(),
        at);
  }

  @Override
  public List<Row> unsent(int limit) {
    return db.query(
        "SELECT seq, event_id, event_type, routing_key, payload, created_at FROM outbox"
            + " WHERE sent_at IS NULL ORDER BY seq LIMIT "
            + Math.max(1, limit),
        r ->
            new Row(
                r.getLong("seq"),
                r.getString("event_id"),
                r.getString("event_type"),
                r.getString("routing_key"),
                r.getString("payload"),
                Database.instant(r, "created_at")));
  }

  @Override
  public void markSent(List<Long> seqs, Instant at) {
    for (int from = 0; from < seqs.size(); from += 500) {
      List<Long> part = seqs.subList(from, Math.min(seqs.size(), from + 500));
      List<Object> params = new ArrayList<>();
      params.add(at);
      params.addAll(part);
      db.update(
          "UPDATE outbox SET sent_at = ? WHERE sent_at IS NULL AND seq IN ("
              + String.join(", ", Collections.nCopies(part.size(), "?"))
              + ")",
          params.toArray());
    }
  }

  @Override
  public int pruneSent(Instant before) {
    return db.update("DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < ?", before);
  }

  @Override
  public int dropOldestUnsent(long keep) {
    long unsent = unsentCount();
    if (unsent <= keep) {
      return 0;
    }
    Optional<Long> last =
        db.queryOne(
            "SELECT seq FROM outbox WHERE sent_at IS NULL ORDER BY seq LIMIT 1 OFFSET "
                + (unsent - keep - 1),
            r -> r.getLong(1));
    return last.map(seq -> db.update("DELETE FROM outbox WHERE sent_at IS NULL AND seq <= ?", seq))
        .orElse(0);
  }

  @Override
  public long unsentCount() {
    return db.queryOne("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL", r -> r.getLong(1))
        .orElse(0L);
  }
}
