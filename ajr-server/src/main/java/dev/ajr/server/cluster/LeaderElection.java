package dev.ajr.server.cluster;

import dev.ajr.core.recovery.Fence;
import dev.ajr.server.metrics.LeaseMeter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica's part in choosing the leader: tries to take or renew the lease every third of its
 * duration (thread {@code ajr-leader-election}). The first success calls {@code onElected}; a
 * leader that cannot renew before its lease runs out calls {@code onLost} (the server then exits,
 * so nothing of the old leadership lingers) and, as a {@link Fence}, refuses every action from the
 * moment its lease may have passed to another replica.
 *
 * <p>Failover takes at most the lease duration plus one renewal interval after a leader dies.
 */
public final class LeaderElection implements Fence, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LeaderElection.class);

  private final Lease lease;
  private final String replica;
  private final Duration duration;
  private final Clock clock;
  private final LeaseMeter meter;
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("ajr-leader-election").daemon(true).factory());
  private volatile Runnable onElected = () -> {};
  private volatile Runnable onLost = () -> {};
  private volatile long token = -1;
  private volatile Instant validUntil = Instant.EPOCH;
  private volatile boolean leader;
  private volatile boolean elected;

  public LeaderElection(Lease lease, String replica, Duration duration, Clock clock) {
    this(lease, replica, duration, clock, LeaseMeter.NONE);
  }

  /**
   * @param meter told the outcome of each round
   */
  public LeaderElection(
      Lease lease, String replica, Duration duration, Clock clock, LeaseMeter meter) {
    this.lease = lease;
    this.replica = replica;
    this.duration = duration;
    this.clock = clock;
    this.meter = meter;
  }

  /**
   * Says what to do on the outcome of a round: {@code onElected} runs once, on the election thread,
   * when this replica first holds the lease (again on the next round if it throws, the replica
   * neither leading nor elected meanwhile); {@code onLost} when it held it and could not renew it
   * in time. Call before {@link #start}.
   */
  public void listen(Runnable onElected, Runnable onLost) {
    this.onElected = onElected;
    this.onLost = onLost;
  }

  /** Starts taking part: a round now, then every third of the lease duration. */
  public void start() {
    long period = Math.max(100, duration.toMillis() / 3);
    thread.scheduleWithFixedDelay(this::round, 0, period, TimeUnit.MILLISECONDS);
  }

  /** One try to take or renew the lease. */
  void round() {
    Instant now = clock.instant();
    Optional<Long> got;
    try {
      got = lease.acquire(replica, now, duration);
      if (got.isPresent()) {
        meter.held();
      } else {
        meter.elsewhere();
      }
    } catch (RuntimeException e) {
      got = Optional.empty();
      meter.failed();
      log.warn("the leader lease cannot be renewed now: {}", e.getMessage());
    }
    if (got.isPresent()) {
      // Keep a margin: act only while the lease surely still holds.
      validUntil = now.plus(duration.multipliedBy(2).dividedBy(3));
      token = got.get();
      if (!leader) {
        leader = true;
        elected = true;
        log.info("replica {} is the leader (fencing token {})", replica, token);
        try {
          onElected.run();
        } catch (RuntimeException e) {
          // Escaping this scheduled task would end its rounds for good (no renewal, no onLost);
          // not leading yet, the next round renews the lease and calls onElected again.
          leader = false;
          elected = false;
          log.error("replica {} could not start leading, trying again: {}", replica, e.toString());
        }
      }
    } else if (leader && !clock.instant().isBefore(validUntil)) {
      leader = false;
      log.error("replica {} lost the leader lease; it stops acting", replica);
      onLost.run();
    }
  }

  /** Whether this replica holds the lease now, with the margin. */
  public boolean isLeader() {
    return leader && clock.instant().isBefore(validUntil);
  }

  /**
   * Whether this replica has been elected: from its first lease on, it is the one that acts (a
   * replica that loses the lease stops for good through {@code onLost}).
   */
  public boolean elected() {
    return elected;
  }

  /** The replica holding the lease now, as the lease says. */
  public Optional<Lease.Holder> holder() {
    return lease.current();
  }

  public String replica() {
    return replica;
  }

  public Duration duration() {
    return duration;
  }

  @Override
  public void check() throws FencedOut {
    if (!isLeader()) {
      throw new FencedOut("replica " + replica + " does not hold the leader lease");
    }
    Optional<Lease.Holder> now = lease.current();
    if (now.isEmpty() || !now.get().replica().equals(replica) || now.get().token() != token) {
      throw new FencedOut(
          "replica "
              + replica
              + " was fenced out: the lease is held by "
              + now.map(h -> h.replica() + " with token " + h.token()).orElse("nobody"));
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
    if (leader) {
      try {
        lease.release(replica);
      } catch (RuntimeException e) {
        log.debug("cannot release the lease: {}", e.getMessage());
      }
    }
  }
}
