package dev.ajr.server.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** The lease's contract in memory: the holder renews, anyone takes over once it expired. */
final class MemoryLease implements Lease {

  private Holder holder;
  private boolean failing;

  /** Makes every acquire fail as a database that went away would. */
  synchronized void failing(boolean failing) {
    this.failing = failing;
  }

  @Override
  public synchronized Optional<Long> acquire(String replica, Instant now, Duration duration) {
    if (failing) {
      throw new IllegalStateException("the database cannot be reached");
    }
    if (holder == null) {
      holder = new Holder(replica, 1, now.plus(duration));
    } else if (holder.replica().equals(replica)) {
      holder = new Holder(replica, holder.token(), now.plus(duration));
    } else if (holder.expiresAt().isBefore(now)) {
      holder = new Holder(replica, holder.token() + 1, now.plus(duration));
    } else {
      return Optional.empty();
    }
    return Optional.of(holder.token());
  }

  @Override
  public synchronized Optional<Holder> current() {
    return Optional.ofNullable(holder);
  }

  @Override
  public synchronized void release(String replica) {
    if (holder != null && holder.replica().equals(replica)) {
      holder = new Holder(replica, holder.token(), Instant.EPOCH);
    }
  }
}
