package dev.ajr.server.app;

import dev.ajr.server.auth.WebSessions;
import dev.ajr.server.ingest.IngestPositions;
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
 * older than the configured age, and the positions of shipped streams nothing was sent on for as
 * long, and (when asked) rows of the audit trail past their own age, on a schedule, in small
 * batches so the service is never blocked for long. A failed round is logged and tried again at the
 * next.
 */
public final class Retention implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Retention.class);
  static final int BATCH = 500;

  private final SqlRecoveryStore store;
  private final IngestPositions positions;
  private final Clock clock;
  private final Duration keep;
  private final Duration interval;
  private volatile SqlAuditLog audit;
  private volatile Duration auditKeep;
  private volatile WebSessions sessions;
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("ajr-retention").daemon(true).factory());

  public Retention(
      SqlRecoveryStore store,
      IngestPositions positions,
      Clock clock,
      Duration keep,
      Duration interval) {
    this.store = store;
    this.positions = positions;
    this.clock = clock;
    this.keep = keep;
    this.interval = interval;
  }

  /** Also prunes rows of the audit trail older than {@code keep}, in each round. */
  public void pruneAudit(SqlAuditLog audit, Duration keep) {
    this.audit = audit;
    this.auditKeep = keep;
  }

  /** Also deletes browser sessions past their lifetime, in each round. */
  public void pruneSessions(WebSessions sessions) {
    this.sessions = sessions;
  }

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
      WebSessions ws = sessions;
      if (ws != null) {
        ws.prune();
      }
    } catch (RuntimeException e) {
      log.warn("pruning old jobs failed, will try again: {}", e.toString());
    }
    return total;
  }

  private void pruneAuditRows() {
    SqlAuditLog a = audit;
    if (a == null) {
      return;
    }
    int total = 0;
    int pruned;
    do {
      pruned = a.pruneOlderThan(clock.instant().minus(auditKeep), BATCH);
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
