package dev.ajr.server.ingest.loki;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows Loki as NVIDIA's reference Watcher does: repeatedly asks {@code query_range} for the
 * entries that arrived since the last round and hands each one, oldest first, to a sink.
 *
 * <p>Each round asks for entries stamped from the cursor up to (not including) now minus the query
 * delay, never further back than the maximum look-back. An answer with {@code limit} entries is
 * continued at once from its last timestamp; since Loki's start is inclusive, the entries already
 * handed out at that timestamp are recognised by their {@linkplain LokiCursor#fingerprint
 * fingerprint} and skipped. So within the look-back nothing is repeated or skipped; the one
 * exception is more than {@code limit} entries with one same timestamp, of which those past the
 * first {@code limit} cannot be reached (a warning says so, and reading goes on 1 ns later).
 *
 * <p>When Loki cannot be read (down, an HTTP error, an answer that is not a log-query answer) the
 * round ends, the cursor stays, one warning is logged for the whole outage and the next attempts
 * back off up to the maximum back-off; when Loki answers again, reading resumes from the cursor. A
 * sink that throws is treated the same way: the entry it failed on is offered again next round.
 *
 * <p>Rounds run either on the caller's thread ({@link #pollOnce}) or on one daemon thread ({@link
 * #start}, {@link #close}); never two at once. {@link #cursor} may be read from any thread.
 */
public final class LokiSource implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LokiSource.class);

  /** Receives each entry, oldest first. */
  @FunctionalInterface
  public interface EntrySink {
    /**
     * @param labels the labels of the entry's stream
     * @param entry the entry
     * @param writtenAt when the line says it was written (see {@link WrittenAtExtractor}), or null
     *     when no written-at pattern is configured or the line does not match it
     */
    void entry(Map<String, String> labels, LokiEntry entry, Instant writtenAt);
  }

  /**
   * What one round did.
   *
   * @param delivered how many entries were handed to the sink
   * @param queries how many queries were sent
   * @param problem why the round stopped early, or null when it read everything there was
   */
  public record PollResult(int delivered, int queries, String problem) {
    public boolean succeeded() {
      return problem == null;
    }
  }

  /** One entry with its stream's labels, as ordered for delivery. */
  private record Item(Map<String, String> labels, LokiEntry entry) {}

  private final LokiSettings settings;
  private final Clock clock;
  private final EntrySink sink;
  private final LokiQueryClient client;
  private final WrittenAtExtractor writtenAt;
  private final CountDownLatch closing = new CountDownLatch(1);
  private volatile Thread thread;

  // Cursor state, confined to the round in progress (guarded by this).
  private long startNanos;
  private final Set<String> seenAtStart = new HashSet<>();
  private boolean started;
  private int consecutiveFailures;
  private int deliveredThisRound;
  private Instant outageSince;

  private volatile LokiCursor published;
  private volatile boolean reachable = true;
  private volatile boolean closed;
  private volatile java.util.function.Consumer<LokiCursor> roundListener = cursor -> {};

  /**
   * @param start where to resume (from {@link #cursor} saved earlier), or null to begin at the
   *     maximum look-back before now minus the delay
   */
  public LokiSource(LokiSettings settings, LokiCursor start, Clock clock, EntrySink sink) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sink = Objects.requireNonNull(sink, "sink");
    this.client = new LokiQueryClient(settings);
    this.writtenAt =
        settings.writtenAtPattern() == null
            ? null
            : new WrittenAtExtractor(settings.writtenAtPattern(), settings.writtenAtZone());
    if (start != null) {
      startNanos = start.startNanos();
      seenAtStart.addAll(start.seenAtStart());
      started = true;
      published = start;
    }
  }

  /**
   * Where reading would resume; persist it to continue after a restart. Before the first round of a
   * source started without a cursor, it is the start that round would use now.
   */
  public LokiCursor cursor() {
    LokiCursor cursor = published;
    return cursor != null ? cursor : new LokiCursor(floorNanos(endNanos()), Set.of());
  }

  /** Whether Loki could be read in the latest round (true before the first). */
  public boolean reachable() {
    return reachable;
  }

  /**
   * Runs one round: queries until everything stamped before now minus the delay is read, or until
   * something fails.
   */
  public synchronized PollResult pollOnce() {
    long end = endNanos();
    long floor = floorNanos(end);
    if (!started) {
      startNanos = floor;
      started = true;
    } else if (startNanos < floor) {
      log.warn(
          "Loki entries stamped from {} to {} are older than the look-back of {} and are not read",
          LokiTime.toInstant(startNanos),
          LokiTime.toInstant(floor),
          settings.maxLookBack());
      startNanos = floor;
      seenAtStart.clear();
    }
    deliveredThisRound = 0;
    int queries = 0;
    try {
      while (startNanos < end && !closed) {
        queries++;
        List<Item> page = page(client.query(startNanos, end));
        int fresh = deliver(page, end);
        if (page.size() < settings.limit()) {
          startNanos = end; // everything before end is read; Loki's end is exclusive
          seenAtStart.clear();
        } else if (fresh == 0) {
          log.warn(
              "at least {} Loki entries are stamped {}; any past the first {} cannot be read."
                  + " Raise the Loki query limit if this repeats",
              settings.limit(),
              LokiTime.toInstant(startNanos),
              settings.limit());
          startNanos++;
          seenAtStart.clear();
        }
      }
      recovered();
      return new PollResult(deliveredThisRound, queries, null);
    } catch (LokiQueryClient.Failure e) {
      return failed(deliveredThisRound, queries, e.getMessage(), true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new PollResult(deliveredThisRound, queries, "interrupted");
    } catch (RuntimeException e) {
      return failed(deliveredThisRound, queries, "the handler of Loki entries failed: " + e, false);
    } finally {
      published = new LokiCursor(startNanos, seenAtStart);
    }
  }

  /** The entries of an answer in timestamp order (streams in answer order at equal stamps). */
  private static List<Item> page(List<LokiStream> streams) {
    List<Item> items = new ArrayList<>();
    for (LokiStream stream : streams) {
      for (LokiEntry entry : stream.entries()) {
        items.add(new Item(stream.labels(), entry));
      }
    }
    items.sort(Comparator.comparingLong(item -> item.entry().timestampNanos()));
    return items;
  }

  /** Hands out the entries not yet handed out, moving the cursor with each. */
  private int deliver(List<Item> page, long end) {
    int fresh = 0;
    for (Item item : page) {
      long stamp = item.entry().timestampNanos();
      if (stamp < startNanos || stamp >= end) {
        continue; // outside what was asked for
      }
      String fingerprint = LokiCursor.fingerprint(item.labels(), item.entry().line());
      if (stamp == startNanos && seenAtStart.contains(fingerprint)) {
        continue;
      }
      Instant written = writtenAt == null ? null : writtenAt.writtenAt(item.entry().line());
      sink.entry(item.labels(), item.entry(), written);
      if (stamp != startNanos) {
        startNanos = stamp;
        seenAtStart.clear();
      }
      seenAtStart.add(fingerprint);
      deliveredThisRound++;
      fresh++;
    }
    return fresh;
  }

  private void recovered() {
    if (outageSince != null) {
      log.info(
          "reading Loki at {} works again after {} s; reading on from {}",
          settings.baseUrl(),
          Duration.between(outageSince, clock.instant()).toSeconds(),
          LokiTime.toInstant(startNanos));
    }
    outageSince = null;
    consecutiveFailures = 0;
    reachable = true;
  }

  private PollResult failed(int delivered, int queries, String problem, boolean lokiFailed) {
    consecutiveFailures++;
    reachable = !lokiFailed;
    if (outageSince == null) {
      outageSince = clock.instant();
      log.warn(
          "{}; retrying with back-off up to {} s, from {} (nothing within the look-back of {} is"
              + " lost)",
          problem,
          settings.maxBackoff().toSeconds(),
          LokiTime.toInstant(startNanos),
          settings.maxLookBack());
    } else {
      log.debug("Loki still cannot be read: {}", problem);
    }
    return new PollResult(delivered, queries, problem);
  }

  /** How long the polling thread waits before the next round: longer while Loki fails. */
  synchronized Duration delayBeforeNextPoll() {
    if (consecutiveFailures == 0) {
      return settings.pollInterval();
    }
    Duration backoff =
        settings.pollInterval().multipliedBy(1L << Math.min(consecutiveFailures, 16));
    return backoff.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : backoff;
  }

  private long endNanos() {
    return LokiTime.toNanos(clock.instant().minus(settings.queryDelay()));
  }

  private long floorNanos(long end) {
    try {
      return Math.subtractExact(end, settings.maxLookBack().toNanos());
    } catch (ArithmeticException e) {
      return Long.MIN_VALUE;
    }
  }

  /** Runs rounds on a daemon thread until {@link #close}. */
  public synchronized void start() {
    if (thread != null) {
      throw new IllegalStateException("this Loki source is already started");
    }
    if (closed) {
      throw new IllegalStateException("this Loki source is closed");
    }
    thread = Thread.ofPlatform().name("ajr-loki-source").daemon(true).start(this::run);
  }

  /**
   * Calls {@code listener} with the cursor after every round of the polling thread (to persist it);
   * set before {@link #start}.
   */
  public void onRound(java.util.function.Consumer<LokiCursor> listener) {
    this.roundListener = listener;
  }

  private void run() {
    try {
      while (!closed) {
        pollOnce();
        try {
          roundListener.accept(cursor());
        } catch (RuntimeException e) {
          log.debug("saving the Loki cursor failed: {}", e.toString());
        }
        if (closing.await(delayBeforeNextPoll().toMillis(), TimeUnit.MILLISECONDS)) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops the polling thread (waiting for a round in progress to end) and frees the client. */
  @Override
  public void close() {
    closed = true;
    closing.countDown();
    Thread running = thread;
    if (running != null) {
      running.interrupt();
      try {
        running.join(settings.requestTimeout().plusSeconds(1).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    client.close();
  }
}
