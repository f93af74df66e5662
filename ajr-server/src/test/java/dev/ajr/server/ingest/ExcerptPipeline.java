package dev.ajr.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.core.detect.Anomaly;
import dev.ajr.core.detect.ExcerptLine;
import dev.ajr.core.event.EventSink;
import dev.ajr.core.job.Attempt;
import dev.ajr.core.job.AttemptState;
import dev.ajr.core.job.DirectiveResult;
import dev.ajr.core.job.Job;
import dev.ajr.core.job.JobStatus;
import dev.ajr.core.job.RequeueLimits;
import dev.ajr.core.recovery.AnomalyHandler;
import dev.ajr.core.store.JobLocks;
import dev.ajr.core.testing.Fixtures;
import dev.ajr.core.tracking.ActiveAttempt;
import dev.ajr.server.events.InProcessEventBus;
import dev.ajr.server.logs.LineHandler;
import dev.ajr.server.store.Database;
import dev.ajr.server.store.SqlRecoveryStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * The server's line path as {@code AjrServer} wires it, on an SQLite file: an {@link
 * ExcerptRecorder} before an {@link AnomalyHandler} with the built-in rules, anomaly events
 * delivered after the commit. Holds one running job (24, attempt 0 on node07) without a directive.
 */
public final class ExcerptPipeline implements AutoCloseable {

  public static final long JOB = 24;

  public final Database db;
  public final SqlRecoveryStore store;
  public final ExcerptRecorder excerpts;
  public final LineHandler lines;
  private final Path dir;
  private final Clock clock;

  public ExcerptPipeline(Path dir, Clock clock) {
    this.dir = dir;
    this.clock = clock;
    db = Database.openSqlite(dir.resolve("data"));
    store = new SqlRecoveryStore(db, clock);
    InProcessEventBus bus = new InProcessEventBus();
    EventSink afterCommit = event -> db.afterCommit(() -> bus.publish(event));
    excerpts = new ExcerptRecorder(store, clock);
    bus.subscribe(excerpts);
    AnomalyHandler anomalies =
        new AnomalyHandler(
            dev.ajr.server.rules.RuleCatalog.builtIn().engine(),
            store,
            List::of,
            afterCommit,
            new JobLocks(),
            clock,
            decision -> {},
            Fixtures.decisionSettings(new RequeueLimits(1, 3)));
    lines = excerpts.before(anomalies::onLine);
    Instant t = clock.instant();
    store.saveJob(
        new Job(
            JOB,
            "train",
            "alice",
            "gpu",
            dir.toString(),
            stdOut(),
            "",
            "",
            DirectiveResult.ABSENT,
            JobStatus.RUNNING,
            "",
            t,
            t,
            0));
    store.saveAttempt(
        new Attempt(JOB, 0, AttemptState.RUNNING, List.of("node07"), t, null, null, ""));
  }

  public String stdOut() {
    return dir.resolve("slurm-24.out").toString();
  }

  /** The job's running attempt, as the scheduler poller reports it. */
  public ActiveAttempt running() {
    return new ActiveAttempt(
        JOB, 0, true, dir.toString(), stdOut(), "", List.of("node07"), clock.instant());
  }

  /** The excerpt of the job's one anomaly (and checks there is one). */
  public List<ExcerptLine> excerptOfOnlyAnomaly() {
    List<Anomaly> stored = store.anomalies(JOB);
    assertThat(stored).hasSize(1);
    return store.excerpts(JOB).getOrDefault(stored.get(0).id(), List.of());
  }

  @Override
  public void close() {
    db.close();
  }
}
