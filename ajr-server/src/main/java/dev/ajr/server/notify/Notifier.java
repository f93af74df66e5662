package dev.ajr.server.notify;

import dev.ajr.core.event.AjrEvent;
import dev.ajr.core.event.EventSink;
import dev.ajr.core.notify.Digest;
import dev.ajr.core.notify.DigestText;
import dev.ajr.core.notify.Notice;
import dev.ajr.core.notify.NotificationPlanner;
import dev.ajr.core.recovery.Decision;
import dev.ajr.core.store.RecoveryStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notifications, off the recovery path. {@link #publish} only puts the event in a bounded queue
 * (never waits); when the queue is full the event is counted by type and the counts are reported in
 * the next digest of every destination with fixed recipients. The thread {@code ajr-notifier} turns
 * events into notices ({@link EventNotices}), hands them to the {@link NotificationPlanner} and
 * passes the digests that are due to the thread {@code ajr-notify-send}, which delivers them. A
 * failed delivery is tried again {@code retries} times with doubling backoff, then logged once and
 * dropped. Time comes from the injected clock; the notifier looks at it at least every 200 ms.
 */
public final class Notifier implements EventSink, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Notifier.class);
  private static final long MAX_WAIT_MS = 200;

  private record Queued(AjrEvent event, Instant at) {}

  private final NotificationPlanner planner;
  private final Map<String, NotificationSender> senders;
  private final EventNotices notices;
  private final Clock clock;
  private final int retries;
  private final Duration backoff;
  private final BlockingQueue<Queued> queue;
  private final Map<String, LongAdder> dropped = new ConcurrentHashMap<>();
  private final AtomicLong droppedTotal = new AtomicLong();
  private final AtomicLong processed = new AtomicLong();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final ScheduledExecutorService sending =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("ajr-notify-send").daemon(true).factory());
  private final Thread thread;
  private volatile boolean running = true;
  private boolean overflowing;

  public Notifier(
      NotificationPlanner planner,
      Map<String, NotificationSender> senders,
      RecoveryStore store,
      Clock clock,
      int queueSize,
      int retries,
      Duration backoff) {
    for (var route : planner.routes()) {
      if (!senders.containsKey(route.name())) {
        throw new IllegalArgumentException("no sender for destination " + route.name());
      }
    }
    this.planner = planner;
    this.senders = Map.copyOf(senders);
    this.notices = new EventNotices(store);
    this.clock = clock;
    this.retries = retries;
    this.backoff = backoff;
    this.queue = new ArrayBlockingQueue<>(queueSize);
    this.thread = Thread.ofPlatform().name("ajr-notifier").daemon(true).unstarted(this::loop);
  }

  /** Starts the notifier thread; recoveries under way are remembered so their outcome is told. */
  public void start(List<Decision> unfinished) {
    notices.resumeFrom(unfinished);
    thread.start();
  }

  @Override
  public void publish(AjrEvent event) {
    if (!queue.offer(new Queued(event, clock.instant()))) {
      dropped.computeIfAbsent(event.getClass().getSimpleName(), k -> new LongAdder()).increment();
      droppedTotal.incrementAndGet();
    }
  }

  /** Events taken from the queue so far. */
  public long processed() {
    return processed.get();
  }

  /** Events dropped because the queue was full, so far. */
  public long dropped() {
    return droppedTotal.get();
  }

  /** Digests delivered so far. */
  public long delivered() {
    return delivered.get();
  }

  /** Digests given up on after every retry, so far. */
  public long failed() {
    return failed.get();
  }

  private void loop() {
    List<Queued> batch = new ArrayList<>();
    while (running) {
      try {
        Instant now = clock.instant();
        long wait =
            planner
                .nextDue(now)
                .map(t -> Math.max(0, Math.min(MAX_WAIT_MS, Duration.between(now, t).toMillis())))
                .orElse(MAX_WAIT_MS);
        Queued first = queue.poll(wait, TimeUnit.MILLISECONDS);
        if (first != null) {
          batch.add(first);
          queue.drainTo(batch);
          for (Queued q : batch) {
            route(q);
          }
          batch.clear();
        }
        reportDropped();
        for (Digest d : planner.due(clock.instant())) {
          deliver(d, 1);
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.warn("notifications: {}", e.toString());
      }
    }
  }

  private void route(Queued q) {
    try {
      for (Notice n : notices.notices(q.event(), q.at())) {
        planner.offer(n);
      }
    } catch (RuntimeException e) {
      log.warn(
          "notifications: {} could not be looked at: {}",
          q.event().getClass().getSimpleName(),
          e.toString());
    } finally {
      processed.incrementAndGet();
    }
  }

  private void reportDropped() {
    if (dropped.isEmpty()) {
      if (overflowing && queue.isEmpty()) {
        overflowing = false;
      }
      return;
    }
    Map<String, Long> counts = new TreeMap<>();
    for (String type : List.copyOf(dropped.keySet())) {
      LongAdder n = dropped.remove(type);
      if (n != null && n.sum() > 0) {
        counts.put(type, n.sum());
      }
    }
    if (!overflowing) {
      overflowing = true;
      log.warn(
          "notifications: the queue of {} events is full; further events are counted and the"
              + " counts sent instead",
          queue.remainingCapacity() + queue.size());
    }
    planner.dropped(counts, clock.instant());
  }

  private void deliver(Digest digest, int attempt) {
    if (sending.isShutdown()) {
      return;
    }
    sending.execute(() -> {
      try {
        senders.get(digest.route()).send(digest);
        delivered.incrementAndGet();
      } catch (Exception e) {
        if (attempt <= retries && running) {
          log.debug(
              "notification to {} failed (try {}): {}", digest.route(), attempt, e.toString());
          deliverLater(digest, attempt);
        } else {
          failed.incrementAndGet();
          log.warn(
              "notification to {} failed after {} tries and is dropped: {} ({})",
              digest.route(),
              attempt,
              e.getMessage(),
              DigestText.summary(digest));
        }
      }
    });
  }

  private void deliverLater(Digest digest, int attempt) {
    long delay = backoff.toMillis() << Math.min(attempt - 1, 16);
    try {
      sending.schedule(() -> deliver(digest, attempt + 1), delay, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      failed.incrementAndGet();
    }
  }

  /** The notifier for a configuration: one sender per destination. */
  public static Notifier fromConfig(
      dev.ajr.server.config.NotificationsConfig config, RecoveryStore store, Clock clock) {
    Map<String, NotificationSender> senders = new java.util.HashMap<>();
    Duration httpTimeout = Duration.ofSeconds(10);
    for (var d : config.destinations()) {
      senders.put(
          d.name(),
          switch (d.type()) {
            case SLACK -> new SlackSender(d.url(), httpTimeout);
            case WEBHOOK -> new WebhookSender(d.url(), httpTimeout);
            case EMAIL -> new SmtpSender(config.smtp(), d.to());
          });
    }
    return new Notifier(
        new NotificationPlanner(config.routes()),
        senders,
        store,
        clock,
        config.queueSize(),
        config.retries(),
        config.retryBackoff());
  }

  /** Stops taking events; digests still open are sent (one try) within a few seconds. */
  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(5000);
      for (Digest d : planner.due(Instant.MAX)) {
        deliver(d, retries + 1);
      }
      sending.shutdown();
      if (!sending.awaitTermination(5, TimeUnit.SECONDS)) {
        sending.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      sending.shutdownNow();
    }
  }
}
