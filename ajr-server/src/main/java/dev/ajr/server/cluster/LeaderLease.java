package dev.ajr.server.cluster;

import dev.ajr.server.store.Database;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The leader lease in the shared database (table {@code leases}).
 *
 * <p>Contract: {@link #acquire} succeeds for the current holder (a renewal, same token) or for
 * anyone once the lease has expired (a takeover: the token grows by one); it is one conditional
 * {@code UPDATE}, so two replicas racing for an expired lease cannot both win. Times are the
 * replicas' own clocks, which must agree to well within the lease duration (NTP). Thread-safe.
 */
public final class LeaderLease {

  /** Who holds the lease. */
  public record Holder(String replica, long token, Instant expiresAt) {}

  private static final String NAME = "leader";

  private final Database db;

  public LeaderLease(Database db) {
    this.db = db;
  }

  /**
   * Takes or renews the lease for {@code replica} until {@code now + duration}.
   *
   * @return the fencing token when this replica holds the lease now
   */
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

  /** The holder, if anyone ever held the lease. */
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

  /** Gives the lease up (on a clean stop), so another replica takes over at once. */
  public void release(String replica) {
    db.update("UPDATE leases SET expires_at = 0 WHERE name = ? AND holder = ?", NAME, replica);
  }
}
