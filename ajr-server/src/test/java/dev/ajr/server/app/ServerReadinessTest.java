package dev.ajr.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.core.event.EventSink;
import dev.ajr.core.store.JobLocks;
import dev.ajr.core.testing.FakeScheduler;
import dev.ajr.core.testing.InMemoryRecoveryStore;
import dev.ajr.core.tracking.JobTracker;
import dev.ajr.server.cluster.Leadership;
import dev.ajr.server.http.Readiness;
import dev.ajr.server.metrics.PollMeter;
import dev.ajr.server.store.Database;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What /readyz reports for a single server: its database, its migrations and Slurm's last read. */
class ServerReadinessTest {

  @TempDir Path dir;
  private Database db;
  private final FakeScheduler slurm = new FakeScheduler(Clock.systemUTC());
  private SchedulerPoller poller;
  private ServerReadiness readiness;

  @BeforeEach
  void build() {
    db = Database.openSqlite(dir);
    poller =
        new SchedulerPoller(
            slurm,
            new JobTracker(
                new InMemoryRecoveryStore(), EventSink.NOOP, new JobLocks(), Clock.systemUTC()),
            active -> {},
            Duration.ofSeconds(1),
            0.25,
            new LatestJobs(),
            PollMeter.NONE);
    readiness = new ServerReadiness(db, Leadership.single(), poller);
  }

  @AfterEach
  void close() {
    poller.close();
    db.close();
  }

  @Test
  void readyOnceSlurmWasReadWithTheDatabaseMigrated() {
    Readiness before = readiness.get();
    assertThat(before.failed()).containsExactly("slurm");
    assertThat(before.checks())
        .containsEntry("database", "ok")
        .containsEntry("migrations", "ok")
        .containsEntry("slurm", "not read yet");

    poller.poll();

    assertThat(readiness.get().ready()).isTrue();
    assertThat(readiness.get().checks()).containsEntry("slurm", "ok");
  }

  @Test
  void notReadyWhileTheLastReadOfSlurmFailed() {
    poller.poll();
    slurm.failTransiently("jobs", 1);

    poller.poll();

    assertThat(readiness.get().failed()).containsExactly("slurm");
    assertThat(readiness.get().checks()).containsEntry("slurm", "unreachable at the last read");
    poller.poll();
    assertThat(readiness.get().ready()).isTrue();
  }

  @Test
  void aDatabaseThatDoesNotAnswerFailsBothOfItsChecks() {
    poller.poll();
    db.close();

    Readiness r = readiness.get();

    assertThat(r.failed()).containsExactly("database", "migrations");
    assertThat(r.checks().get("database")).startsWith("not reachable");
    assertThat(r.checks().get("migrations")).startsWith("not known");
  }

  @Test
  void pendingMigrationsAreNamedWithWhatToRun() {
    Database unmigrated =
        Database.open(
            new Database.Settings("jdbc:sqlite:" + dir.resolve("empty.db"), null, null, 1, false));
    try {
      poller.poll();
      Readiness r = new ServerReadiness(unmigrated, Leadership.single(), poller).get();

      assertThat(r.failed()).containsExactly("migrations");
      assertThat(r.checks().get("migrations")).endsWith("pending: run ajr db migrate");
    } finally {
      unmigrated.close();
    }
  }
}
