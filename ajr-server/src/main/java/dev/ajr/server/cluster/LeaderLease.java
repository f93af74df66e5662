package dev.ajr.server.cluster;

import dev.ajr.server.store.Database;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The {@link Lease} in the shared database (table {@code leases}): a takeover or renewal is one
 * conditional {@code UPDATE}, so two replicas racing for an expired lease cannot both win. Times
 * are the replicas' own clocks, which must agree to well within the lease duration (NTP).
 * Thread-safe.
 */
public final class LeaderLease implements Lease {

  private static final String NAME = "leader";

  private final Database db;

  public LeaderLease(Database db) {
    this.db = db;
  }

  @Override
  public Optional<Long> acquire(String replica, Instant now, Duration duration) {
    long until = now.plus(duration).toEpochMilli();
    int updated =
        db.update(
            "UPDATE leases SET token = CASE WHEN holder = ? THEN token ELSE token + 1 END,"
                + " holder = ?, expires_at = ? WHERE name = ? AND (holder = ? OR expires_at < ?)",
            replica,
            replica,
            until,
            NAME,
            replica,
            now.toEpochMilli());
    if (updated == 0 && current().isEmpty()) {
      db.update(
          db.dialect()
              .insertIgnore(
                  "leases",
                  java.util.List.of("name"),
                  java.util.List.of("name", "holder", "token", "expires_at")),
          NAME,
          replica,
          1L,
          until);
    }
    return current()
        .filter(h -> h.replica().equals(replica) && h.expiresAt().toEpochMilli() == until)
        .map(Holder::token);
  }

  @Override
  public Optional<Holder> current() {
    return db.queryOne(
        "SELECT holder, token, expires_at FROM leases WHERE name = ?",
        r ->
            new Holder(
                r.getString("holder"),
                r.getLong("token"),
                Instant.ofEpochMilli(r.getLong("expires_at"))),
        NAME);
  }

  @Override
  public void release(String replica) {
    db.update("UPDATE leases SET expires_at = 0 WHERE name = ? AND holder = ?", NAME, replica);
  }
}
