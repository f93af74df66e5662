package dev.ajr.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.core.detect.Anomaly;
import dev.ajr.core.detect.AnomalyType;
import dev.ajr.core.detect.Cause;
import dev.ajr.core.detect.Evidence;
import dev.ajr.core.detect.RecoveryAction;
import dev.ajr.core.job.Attempt;
import dev.ajr.core.job.AttemptState;
import dev.ajr.core.job.DirectiveResult;
import dev.ajr.core.job.Job;
import dev.ajr.core.job.JobStatus;
import dev.ajr.core.policy.ActionKind;
import dev.ajr.core.policy.Operation;
import dev.ajr.core.recovery.Action;
import dev.ajr.core.recovery.ActionState;
import dev.ajr.core.recovery.Decision;
import dev.ajr.core.recovery.DecisionState;
import dev.ajr.core.store.JobFacets;
import dev.ajr.core.store.JobFilter;
import dev.ajr.core.store.JobTimeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The jobs list's read side ({@link SqlJobBrowser}), run unchanged against every database: SQLite
 * here, MariaDB and PostgreSQL in the subclasses. One small cluster history is stored once and only
 * read:
 *
 * <pre>
 * job  user   partition  name           submit (else first seen)  status     anomalies
 * 103  alice  gpu        llama-eval     (T0+3h)                   STOPPED    a0: CRASH_SEGFAULT, decided
 * 104  carol  gpu        100%_done      T0+2h                     COMPLETED  -
 * 102  bob    debug      bert_finetune  T0+2h                     FAILED     a0: OOM_GPU, decided
 * 101  alice  gpu        llama-Pretrain T0+1h                     RUNNING    a0: CRASH_SEGFAULT decided, NCCL_ERROR not
 * 105  bob    debug      sweep-tef-7    T0                        PENDING    -
 * </pre>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JobBrowserContractTest {

  /** Opens a new, migrated database for this class. */
  abstract Database openDatabase(Path dataDir);

  /** Drops what {@link #openDatabase} created, after the database is closed. */
  void dropDatabase() {}

  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final Duration HOUR = Duration.ofHours(1);

  private Database db;
  private SqlJobBrowser browser;
  private Anomaly segfault101;
  private Anomaly nccl101;
  private Decision restart101;

  @BeforeAll
  void seed() throws Exception {
    db = openDatabase(Files.createTempDirectory("ajr-browser-"));
    SqlRecoveryStore store = new SqlRecoveryStore(db, Clock.fixed(T0, ZoneOffset.UTC));
    browser = new SqlJobBrowser(db);
    store.saveJob(job(101, "alice", "gpu", "llama-Pretrain", T0.plus(HOUR), JobStatus.RUNNING));
    store.saveJob(
        job(102, "bob", "debug", "bert_finetune", T0.plus(HOUR.multipliedBy(2)), JobStatus.FAILED));
    store.saveJob(
        new Job(
            103,
            "llama-eval",
            "alice",
            "gpu",
            "/w",
            "/w/o",
            "",
            "",
            DirectiveResult.ABSENT,
            JobStatus.STOPPED,
            "limit reached",
            null,
            T0.plus(HOUR.multipliedBy(3)),
            8));
    store.saveJob(
        job(104, "carol", "gpu", "100%_done", T0.plus(HOUR.multipliedBy(2)), JobStatus.COMPLETED));
    store.saveJob(job(105, "bob", "debug", "sweep-tef-7", T0, JobStatus.PENDING));

    store.saveAttempt(
        new Attempt(
            101,
            0,
            AttemptState.KILLED,
            List.of("node07", "node08"),
            T0.plus(HOUR),
            T0.plus(HOUR).plusSeconds(600),
            139,
            "segfault"));
    store.saveAttempt(
        new Attempt(
            101,
            1,
            AttemptState.RUNNING,
            List.of("node09"),
            T0.plus(HOUR).plusSeconds(700),
            null,
            null,
            ""));
    store.saveAttempt(new Attempt(102, 0, AttemptState.FAILED, List.of("node01"), T0, T0, 1, ""));
    store.saveAttempt(new Attempt(103, 0, AttemptState.KILLED, List.of("node02"), T0, T0, 1, ""));
    store.saveAttempt(
        new Attempt(104, 0, AttemptState.COMPLETED, List.of("node03"), T0, T0, 0, ""));

    segfault101 = store.addAnomaly(anomaly(101, 0, Cause.CRASH_SEGFAULT, 10, "node08")).get();
    nccl101 = store.addAnomaly(anomaly(101, 0, Cause.NCCL_ERROR, 11, "node07")).get();
    restart101 =
        store.addDecision(
            decision(101, 0, segfault101.id(), Operation.RESTART),
            List.of(
                new Action(
                    0,
                    0,
                    0,
                    ActionKind.REQUEUE_HOLD,
                    101,
                    List.of(),
                    ActionState.VERIFIED,
                    1,
                    "held",
                    T0,
                    T0)));
    Anomaly oom = store.addAnomaly(anomaly(102, 0, Cause.OOM_GPU, 5, "node01")).get();
    store.addDecision(decision(102, 0, oom.id(), Operation.STOP), List.of());
    Anomaly segfault103 =
        store.addAnomaly(anomaly(103, 0, Cause.CRASH_SEGFAULT, 7, "node02")).get();
    store.addDecision(decision(103, 0, segfault103.id(), Operation.STOP), List.of());
  }

  @AfterAll
  void close() {
    db.close();
    dropDatabase();
  }

  private static Job job(
      long id, String user, String partition, String name, Instant submit, JobStatus status) {
    return new Job(
        id,
        name,
        user,
        partition,
        "/home/" + user,
        "/home/" + user + "/o",
        "",
        "",
        DirectiveResult.ABSENT,
        status,
        "",
        submit,
        T0.plus(HOUR.multipliedBy(5)),
        4);
  }

  private static Anomaly anomaly(long job, int attempt, Cause cause, long line, String node) {
    return new Anomaly(
        0,
        job,
        attempt,
        AnomalyType.CRASH,
        cause,
        "rule-" + cause,
        RecoveryAction.REQUEUE,
        cause + " on " + node,
        "/home/o",
        line,
        node,
        T0.plusSeconds(line),
        T0.plusSeconds(line + 1),
        T0.plusSeconds(line + 2),
        Evidence.JOB_OUTPUT);
  }

  private static Decision decision(long job, int attempt, long anomalyId, Operation op) {
    return new Decision(
        0,
        job,
        attempt,
        op,
        List.of("because " + op),
        anomalyId,
        DecisionState.DONE,
        op == Operation.STOP,
        "",
        T0,
        T0.plusSeconds(5));
  }

  private List<Long> ids(JobFilter filter) {
    return browser.jobs(filter).stream().map(t -> t.job().jobId()).toList();
  }

  private static JobFilter all() {
    return JobFilter.page(100, 0);
  }

  @Test
  void newestSubmitFirstThenHighestIdAndAJobWithoutSubmitTimeByFirstSeen() {
    assertThat(ids(all())).containsExactly(103L, 104L, 102L, 101L, 105L);
    assertThat(browser.count(all())).isEqualTo(5);
  }

  @Test
  void aPageIsASliceOfTheOrderAndTheTotalCountsAllMatches() {
    assertThat(ids(JobFilter.page(2, 1))).containsExactly(104L, 102L);
    assertThat(browser.count(JobFilter.page(2, 1))).isEqualTo(5);
    assertThat(ids(JobFilter.page(2, 10))).isEmpty();
  }

  @Test
  void filtersByUserStatusAndPartition() {
    assertThat(ids(all().withUser("alice"))).containsExactly(103L, 101L);
    assertThat(ids(all().withStatus(JobStatus.PENDING))).containsExactly(105L);
    assertThat(ids(all().withPartition("debug"))).containsExactly(102L, 105L);
    assertThat(browser.count(all().withPartition("debug"))).isEqualTo(2);
    assertThat(ids(all().withUser("nobody"))).isEmpty();
  }

  @Test
  void filtersByTheCauseOfAnyAnomalyOfTheJob() {
    assertThat(ids(all().withCause(Cause.CRASH_SEGFAULT))).containsExactly(103L, 101L);
    assertThat(browser.count(all().withCause(Cause.CRASH_SEGFAULT))).isEqualTo(2);
    assertThat(ids(all().withCause(Cause.NCCL_ERROR))).containsExactly(101L);
    assertThat(ids(all().withCause(Cause.HANG))).isEmpty();
  }

  @Test
  void filtersBySubmitTimeSinceInclusiveUntilExclusive() {
    Instant twoHours = T0.plus(HOUR.multipliedBy(2));
    assertThat(ids(all().withSince(twoHours))).containsExactly(103L, 104L, 102L);
    assertThat(ids(all().withUntil(twoHours))).containsExactly(101L, 105L);
    assertThat(ids(all().withSince(T0.plus(HOUR)).withUntil(T0.plus(HOUR.multipliedBy(3)))))
        .containsExactly(104L, 102L, 101L);
    assertThat(browser.count(all().withSince(T0.plus(HOUR.multipliedBy(3))))).isEqualTo(1);
  }

  @Test
  void searchesDigitsAsAJobIdAndTextAsPartOfTheNameIgnoringCase() {
    assertThat(ids(all().withSearch("101"))).containsExactly(101L);
    assertThat(ids(all().withSearch("10"))).isEmpty();
    assertThat(ids(all().withSearch("LLAMA"))).containsExactly(103L, 101L);
    assertThat(ids(all().withSearch(" pretrain "))).containsExactly(101L);
  }

  @Test
  void searchTakesLikeWildcardsLiterally() {
    assertThat(ids(all().withSearch("t_f"))).containsExactly(102L);
    assertThat(ids(all().withSearch("%"))).containsExactly(104L);
    assertThat(ids(all().withSearch("!"))).isEmpty();
  }

  @Test
  void filtersCombine() {
    JobFilter f =
        all().withUser("alice").withCause(Cause.CRASH_SEGFAULT).withStatus(JobStatus.STOPPED);
    assertThat(ids(f)).containsExactly(103L);
    assertThat(browser.count(f)).isEqualTo(1);
    assertThat(ids(all().withUser("bob").withSearch("sweep").withPartition("gpu"))).isEmpty();
  }

  @Test
  void theTimelineHasEachAttemptOldestFirstWithItsAnomaliesAndTheirDecisions() {
    JobTimeline t = browser.jobs(all().withSearch("101")).get(0);

    assertThat(t.job().name()).isEqualTo("llama-Pretrain");
    assertThat(t.attempts()).extracting(a -> a.attempt().index()).containsExactly(0, 1);
    JobTimeline.AttemptEntry first = t.attempts().get(0);
    assertThat(first.attempt().nodes()).containsExactly("node07", "node08");
    assertThat(first.attempt().exitCode()).isEqualTo(139);
    assertThat(first.anomalies())
        .containsExactly(
            new JobTimeline.AnomalyEntry(segfault101, restart101),
            new JobTimeline.AnomalyEntry(nccl101, null));
    assertThat(t.attempts().get(1).anomalies()).isEmpty();
  }

  @Test
  void aJobWithoutAttemptsHasAnEmptyTimeline() {
    assertThat(browser.jobs(all().withSearch("105")).get(0).attempts()).isEmpty();
  }

  @Test
  void everyJobOfAPageGetsItsOwnTimeline() {
    List<JobTimeline> page = browser.jobs(all());
    for (JobTimeline t : page) {
      for (JobTimeline.AttemptEntry a : t.attempts()) {
        assertThat(a.attempt().jobId()).isEqualTo(t.job().jobId());
        for (JobTimeline.AnomalyEntry e : a.anomalies()) {
          assertThat(e.anomaly().jobId()).isEqualTo(t.job().jobId());
          assertThat(e.anomaly().attemptIndex()).isEqualTo(a.attempt().index());
        }
      }
    }
    assertThat(page.stream().mapToInt(t -> t.attempts().size()).sum()).isEqualTo(5);
  }

  @Test
  void facetsHoldTheDistinctValuesSorted() {
    assertThat(browser.facets(null))
        .isEqualTo(
            new JobFacets(
                List.of("alice", "bob", "carol"),
                List.of("debug", "gpu"),
                List.of("CRASH_SEGFAULT", "NCCL_ERROR", "OOM_GPU"),
                List.of("COMPLETED", "FAILED", "PENDING", "RUNNING", "STOPPED")));
  }

  @Test
  void aUsersFacetsHoldOnlyTheValuesOfTheirOwnJobs() {
    assertThat(browser.facets("bob"))
        .isEqualTo(
            new JobFacets(
                List.of("bob"),
                List.of("debug"),
                List.of("OOM_GPU"),
                List.of("FAILED", "PENDING")));
    assertThat(browser.facets("nobody"))
        .isEqualTo(new JobFacets(List.of(), List.of(), List.of(), List.of()));
  }
}
