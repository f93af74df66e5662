package dev.ajr.server.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The leader lease that replicas share. {@link LeaderLease} keeps it in the database.
 *
 * <p>Contract: {@link #acquire} succeeds for the current holder (a renewal, same token) or for
 * anyone once the lease has expired (a takeover: the token grows by one); two replicas racing for
 * an expired lease cannot both win. Thread-safe.
 */
public interface Lease {

  /** Who holds the lease. */
  record Holder(String replica, long token, Instant expiresAt) {}

  /**
   * Takes or renews the lease for {@code replica} until {@code now + duration}.
   *
   * @return the fencing token when this replica holds the lease now
   */
  Optional<Long> acquire(String replica, Instant now, Duration duration);

  /** The holder, if anyone ever held the lease. */
  Optional<Holder> current();

  /** Gives the lease up (on a clean stop), so another replica takes over at once. */
  void release(String replica);
}
