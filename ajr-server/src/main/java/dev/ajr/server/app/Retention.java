package dev.ajr.server.app;

import dev.ajr.server.auth.WebSessions;
import dev.ajr.server.ingest.IngestPositions;
import dev.ajr.server.service.Service;
import dev.ajr.server.store.SqlAuditLog;
import dev.ajr.server.store.SqlRecoveryStore;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prunes finished jobs (with their anomalies, that is the kept log excerpts, decisions and actions)
 * older than the configured age, the positions of shipped streams nothing was sent on for as long,
 * rows of the audit trail past their own age and browser sessions past their lifetime, on a
 * schedule (thread {@code ajr-retention}), in small batches so the service is never blocked for
 * long. A failed round is logged and tried again at the next.
 */
public final class Retention implements Service {

  private static final Logger log = LoggerFactory.getLogger(Retention.class);
  static final int BATCH = 500;

  private final SqlRecoveryStore store;
  private final IngestPositions positions;
  private final SqlAuditLog audit;
  private final WebSessions sessions;
  private final Clock clock;
  private final Duration keep;
  private final Duration auditKeep;
  private final Duration interval;
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("ajr-retention").daemon(true).factory());

  /**
   * @param keep how long finished jobs and idle stream positions are kept
   * @param auditKeep how long rows of the audit trail are kept
   * @param interval the time between rounds
   */
  public Retention(
      SqlRecoveryStore store,
      IngestPositions positions,
      SqlAuditLog audit,
      WebSessions sessions,
      Clock clock,
      Duration keep,
      Duration auditKeep,
      Duration interval) {
    this.store = store;
    this.positions = positions;
    this.audit = audit;
    this.sessions = sessions;
    this.clock = clock;
    this.keep = keep;
    this.auditKeep = auditKeep;
    this.interval = interval;
  }

  @Override
  public String name() {
    return "retention";
  }

  @Override
  public void start() {
    thread.scheduleWithFixedDelay(
        this::runOnce, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** One round: prunes every finished job past its age; returns how many were pruned. */
  public int runOnce() {
    int total = 0;
    try {
      int pruned;
      do {
        pruned = store.pruneFinishedJobs(clock.instant().minus(keep), BATCH);
        total += pruned;
      } while (pruned == BATCH && !Thread.currentThread().isInterrupted());
      if (total > 0) {
        log.info("pruned {} finished jobs older than {}", total, keep);
      }
      int streams = positions.forgetOlderThan(clock.instant().minus(keep));
      if (streams > 0) {
        log.info("forgot the positions of {} streams idle for longer than {}", streams, keep);
      }
      pruneAuditRows();
      sessions.prune();
    } catch (RuntimeException e) {
      log.warn("pruning old jobs failed, will try again: {}", e.toString());
    }
    return total;
  }

  private void pruneAuditRows() {
    int total = 0;
    int pruned;
    do {
      pruned = audit.pruneOlderThan(clock.instant().minus(auditKeep), BATCH);
      total += pruned;
    } while (pruned == BATCH && !Thread.currentThread().isInterrupted());
    if (total > 0) {
      log.info("pruned {} audit rows older than {}", total, auditKeep);
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
