package dev.ajr.server.events;

import com.rabbitmq.client.MetricsCollector;
import com.rabbitmq.client.NoOpMetricsCollector;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the {@link Outbox} to RabbitMQ on its own thread ({@code ajr-event-relay}): the oldest
 * unsent rows in order, as persistent messages on the topic exchange with the event's id as
 * message-id, on a channel with publisher confirms; a row is marked sent only after RabbitMQ
 * confirmed it. A crash (or a lost connection) between the confirm and the mark sends the row again
 * with the same id: delivery is at least once, and consumers de-duplicate by id.
 *
 * <p>While RabbitMQ is away the relay connects again with backoff ({@code retryMin} doubling to
 * {@code retryMax}; its own reconnection, not the client's automatic recovery, so nothing is
 * published on a half-recovered channel) and logs one warning per outage and one line when it is
 * back. Once a minute it deletes sent rows older than {@code keepSent} and, should RabbitMQ stay
 * away so long that more than {@code maxUnsent} rows wait, the oldest unsent rows (logged as an
 * error with their number). {@link #start} fails at once when the broker refuses the credentials or
 * the virtual host, the host name is unknown, or the exchange exists with another type; a broker
 * that is merely down at start is waited for.
 *
 * <p>The connection, its confirm channel and the wording of refusals are {@link
 * BrokerConnection}'s; this class keeps the send loop, the backoff and the pruning, all on the
 * relay thread, and the counters read from any thread.
 */
public final class AmqpRelay implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AmqpRelay.class);
  private static final long IDLE_POLL_NANOS = Duration.ofSeconds(5).toNanos();
  private static final long PRUNE_EVERY_NANOS = Duration.ofMinutes(1).toNanos();

  /** The broker refused ajr: wrong credentials, virtual host, host name or exchange type. */
  public static final class RefusedException extends IOException {
    RefusedException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final AmqpSettings settings;
  private final Outbox outbox;
  private final Clock clock;
  private final AtomicLong sent = new AtomicLong();
  private volatile int outages;
  private volatile boolean closed;
  private volatile Thread thread;
  private final BrokerConnection broker;
  private volatile String failing;
  private long backoffNanos;
  private long retryAt;
  private long nextPrune;

  public AmqpRelay(AmqpSettings settings, Outbox outbox, Clock clock) {
    this(settings, outbox, clock, new NoOpMetricsCollector());
  }

  /**
   * @param metrics where the RabbitMQ client reports its connections, channels and messages
   */
  public AmqpRelay(AmqpSettings settings, Outbox outbox, Clock clock, MetricsCollector metrics) {
    this.settings = settings;
    this.outbox = outbox;
    this.clock = clock;
    this.broker = new BrokerConnection(settings, metrics);
    this.backoffNanos = settings.retryMin().toNanos();
  }

  /**
   * Connects once, then starts the relay thread.
   *
   * @throws RefusedException when the broker refuses ajr (the server should not start)
   */
  public synchronized void start() throws RefusedException {
    if (thread != null) {
      return;
    }
    try {
      broker.connect();
      log.info("events go to RabbitMQ at {}, exchange {}", settings.shown(), settings.exchange());
    } catch (IOException | TimeoutException | RuntimeException e) {
      broker.disconnect();
      String refused = broker.refusal(e);
      if (refused != null) {
        throw new RefusedException(refused, e);
      }
      failed("broker", e);
    }
    nextPrune = System.nanoTime();
    Thread t = Thread.ofPlatform().name("ajr-event-relay").daemon(true).unstarted(this::loop);
    thread = t;
    t.start();
  }

  /** Tells the relay that rows were appended; it sends them without waiting for its next poll. */
  public void wake() {
    Thread t = thread;
    if (t != null) {
      LockSupport.unpark(t);
    }
  }

  /** True while the relay has a working connection to RabbitMQ. */
  public boolean connected() {
    return broker.connectionOpen() && failing == null;
  }

  /** How many events RabbitMQ confirmed since start. */
  public long sent() {
    return sent.get();
  }

  /** How many times RabbitMQ (or the outbox) became unavailable since start. */
  public int outages() {
    return outages;
  }

  private void loop() {
    while (!closed) {
      long now = System.nanoTime();
      if (now - nextPrune >= 0) {
        prune();
        nextPrune = now + PRUNE_EVERY_NANOS;
      }
      if (failing != null && now - retryAt < 0) {
        LockSupport.parkNanos(this, Math.min(retryAt - now, nextPrune - now));
        continue;
      }
      try {
        int n = sendBatch();
        if (n < settings.batch()) {
          LockSupport.parkNanos(this, IDLE_POLL_NANOS);
        }
      } catch (IOException | TimeoutException | RuntimeException e) {
        if (closed) {
          break;
        }
        broker.disconnect();
        failed(e instanceof dev.ajr.core.store.StoreException ? "outbox" : "broker", e);
      } catch (InterruptedException e) {
        break;
      }
    }
    broker.disconnect();
  }

  /** Sends the oldest unsent rows and marks them sent once confirmed; returns how many. */
  private int sendBatch() throws IOException, TimeoutException, InterruptedException {
    List<Outbox.Row> rows = outbox.unsent(settings.batch());
    if (rows.isEmpty() && broker.hasConnection()) {
      recovered();
      return 0;
    }
    if (!broker.usable()) {
      broker.disconnect();
      broker.connect();
    }
    List<Long> seqs = new ArrayList<>(rows.size());
    for (Outbox.Row row : rows) {
      broker.publish(row);
      seqs.add(row.seq());
    }
    if (!rows.isEmpty()) {
      broker.waitForConfirms();
      outbox.markSent(seqs, clock.instant());
      sent.addAndGet(rows.size());
    }
    recovered();
    return rows.size();
  }

  private void failed(String what, Exception e) {
    retryAt = System.nanoTime() + backoffNanos;
    backoffNanos = Math.min(backoffNanos * 2, settings.retryMax().toNanos());
    if (what.equals(failing)) {
      log.debug("{} still unavailable: {}", what, describe(e));
      return;
    }
    failing = what;
    outages++;
    long waiting = unsentOrMinusOne();
    if (what.equals("outbox")) {
      log.warn(
          "cannot read the event outbox ({}); events are sent to RabbitMQ when it can be read",
          describe(e));
    } else {
      log.warn(
          "RabbitMQ at {} is not available ({}); events wait in the outbox ({} now) and are sent"
              + " when it is back",
          settings.shown(),
          describe(e),
          waiting < 0 ? "?" : String.valueOf(waiting));
    }
  }

  private void recovered() {
    if (failing != null) {
      log.info(
          "{} is available again; the events that waited are being sent",
          failing.equals("broker") ? "RabbitMQ at " + settings.shown() : "the event outbox");
      failing = null;
    }
    backoffNanos = settings.retryMin().toNanos();
  }

  private void prune() {
    try {
      outbox.pruneSent(clock.instant().minus(settings.keepSent()));
      int dropped = outbox.dropOldestUnsent(settings.maxUnsent());
      if (dropped > 0) {
        log.error(
            "dropped the {} oldest events RabbitMQ never took: the outbox keeps at most {} unsent"
                + " (events.outbox-max-unsent)",
            dropped,
            settings.maxUnsent());
      }
    } catch (RuntimeException e) {
      log.debug("pruning the outbox failed: {}", e.toString());
    }
  }

  private long unsentOrMinusOne() {
    try {
      return outbox.unsentCount();
    } catch (RuntimeException e) {
      return -1;
    }
  }

  private static String describe(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t && t.getMessage() == null) {
      t = t.getCause();
    }
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return m.lines().findFirst().orElse(m).strip();
  }

  /** Stops the relay; unsent rows stay in the outbox for the next start. */
  @Override
  public void close() {
    closed = true;
    Thread t = thread;
    if (t != null) {
      LockSupport.unpark(t);
      try {
        t.join(2_000);
        if (t.isAlive()) {
          broker.disconnect();
          t.interrupt();
          t.join(5_000);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    broker.disconnect();
  }
}
