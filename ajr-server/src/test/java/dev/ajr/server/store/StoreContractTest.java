package dev.ajr.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.core.detect.Anomaly;
import dev.ajr.core.detect.AnomalyType;
import dev.ajr.core.detect.Cause;
import dev.ajr.core.detect.Evidence;
import dev.ajr.core.detect.Excerpt;
import dev.ajr.core.detect.ExcerptLine;
import dev.ajr.core.detect.RecoveryAction;
import dev.ajr.core.job.Attempt;
import dev.ajr.core.job.AttemptState;
import dev.ajr.core.job.AutoResumeMode;
import dev.ajr.core.job.Directive;
import dev.ajr.core.job.DirectiveResult;
import dev.ajr.core.job.Job;
import dev.ajr.core.job.JobStatus;
import dev.ajr.core.policy.ActionKind;
import dev.ajr.core.policy.Operation;
import dev.ajr.core.progress.AttemptProgress;
import dev.ajr.core.progress.ProgressEvent;
import dev.ajr.core.recovery.Action;
import dev.ajr.core.recovery.ActionState;
import dev.ajr.core.recovery.Decision;
import dev.ajr.core.recovery.DecisionState;
import dev.ajr.core.store.JobQuery;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store's contract, run unchanged against every database ajr supports: SQLite here, MariaDB and
 * PostgreSQL in the subclasses.
 */
abstract class StoreContractTest {

  /** Opens the database under test; called again by the test that reopens it. */
  abstract Database openDatabase();

  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private final Clock clock = Clock.fixed(T0, ZoneOffset.UTC);

  @TempDir Path dataDir;
  Database db;
  SqlRecoveryStore store;

  @BeforeEach
  void open() {
    db = openDatabase();
    store = new SqlRecoveryStore(db, clock);
  }

  @AfterEach
  void close() {
    db.close();
  }

  static Job job(long id, String user, JobStatus status, DirectiveResult directive) {
    return new Job(
        id,
        "train",
        user,
        "gpu",
        "/home/" + user + "/run",
        "/home/" + user + "/run/slurm-" + id + ".out",
        "",
        "aps: auto_resume_mode=requeue",
        directive,
        status,
        "",
        T0.minusSeconds(60),
        T0);
  }

  static Job job(long id, String user) {
    return job(id, user, JobStatus.RUNNING, DirectiveResult.ABSENT);
  }

  static Anomaly anomaly(long jobId, int attempt, String source, long lineNumber) {
    return new Anomaly(
        0,
        jobId,
        attempt,
        AnomalyType.CRASH,
        Cause.NCCL_ERROR,
        "nccl-timeout",
        RecoveryAction.REQUEUE,
        "NCCL watchdog timeout",
        source,
        lineNumber,
        "node07",
        T0.plusSeconds(1),
        T0.plusSeconds(2),
        T0.plusSeconds(3),
        Evidence.JOB_OUTPUT);
  }

  static Decision decision(long jobId, int attempt, long anomalyId) {
    return new Decision(
        0,
        jobId,
        attempt,
        Operation.RESTART,
        List.of("NCCL error on node07", "1 of 3 recoveries used"),
        anomalyId,
        DecisionState.PLANNED,
        false,
        "",
        T0,
        null);
  }

  static Action action(int seq, ActionKind kind, long target, List<String> nodes) {
    return new Action(0, 0, seq, kind, target, nodes, ActionState.PENDING, 0, "", null, null);
  }

  @Test
  void aJobWithoutDirectiveRoundTrips() {
    Job j = job(24, "alice");
    store.saveJob(j);

    assertThat(store.job(24)).contains(j);
  }

  @Test
  void aJobWithAValidDirectiveAndMaxRoundTrips() {
    Job j =
        job(
            25,
            "alice",
            JobStatus.PENDING,
            new DirectiveResult.Valid(
                new Directive(AutoResumeMode.SINGLETON_DEPENDENCY, OptionalInt.of(4))));
    store.saveJob(j);

    assertThat(store.job(25)).contains(j);
  }

  @Test
  void aJobWithAValidDirectiveWithoutMaxRoundTrips() {
    Job j =
        job(
            26,
            "alice",
            JobStatus.RUNNING,
            new DirectiveResult.Valid(new Directive(AutoResumeMode.REQUEUE, OptionalInt.empty())));
    store.saveJob(j);

    Job loaded = store.job(26).orElseThrow();
    assertThat(loaded).isEqualTo(j);
    assertThat(((DirectiveResult.Valid) loaded.directive()).directive().maxRequeueTimes())
        .isEmpty();
  }

  @Test
  void aJobWithAnInvalidDirectiveKeepsItsProblemText() {
    String problem = "max_requeue_times must be a whole number, not \"many\"";
    Job j = job(27, "alice", JobStatus.RUNNING, new DirectiveResult.Invalid(problem));
    store.saveJob(j);

    assertThat(store.job(27).orElseThrow().directive())
        .isEqualTo(new DirectiveResult.Invalid(problem));
  }

  @Test
  void savingAJobAgainReplacesIt() {
    store.saveJob(job(24, "alice"));
    Job stopped = job(24, "alice").withStatus(JobStatus.STOPPED, "requeue limit reached");

    store.saveJob(stopped);

    assertThat(store.job(24)).contains(stopped);
    assertThat(store.countJobs(new JobQuery(null, null, 10, 0))).isEqualTo(1);
  }

  @Test
  void anUnknownJobIsEmpty() {
    assertThat(store.job(404)).isEmpty();
  }

  @Test
  void attemptsAreUpsertedAndListedByIndex() {
    store.saveJob(job(24, "alice"));
    Attempt first =
        new Attempt(24, 0, AttemptState.RUNNING, List.of("node01", "node02"), T0, null, null, "");
    store.saveAttempt(first);
    store.saveAttempt(Attempt.pending(24, 1));
    Attempt ended = first.ended(AttemptState.KILLED, T0.plusSeconds(600), 137, "NCCL error");

    store.saveAttempt(ended);

    assertThat(store.attempts(24)).containsExactly(ended, Attempt.pending(24, 1));
  }

  @Test
  void addAnomalyReturnsTheStoredAnomalyWithAnIdAndIgnoresTheSameLineTwice() {
    store.saveJob(job(24, "alice"));
    Anomaly a = anomaly(24, 0, "/run/slurm-24.out", 17);

    Optional<Anomaly> stored = store.addAnomaly(a);
    Optional<Anomaly> again = store.addAnomaly(a);

    assertThat(stored).isPresent();
    assertThat(stored.get().id()).isPositive();
    assertThat(stored.get()).isEqualTo(a.withId(stored.get().id()));
    assertThat(again).isEmpty();
    assertThat(store.anomalies(24)).containsExactly(stored.get());
  }

  @Test
  void whetherAnAnomalyIsChargedToTheJobsBudgetIsKept() {
    store.saveJob(job(24, "alice"));
    Anomaly a = anomaly(24, 0, "/run/slurm-24.out", 17);
    Anomaly preemption =
        new Anomaly(
            0,
            24,
            0,
            AnomalyType.CRASH,
            Cause.SLURM_SCHEDULER,
            "slurm.preempted",
            RecoveryAction.REQUEUE,
            "CANCELLED DUE TO PREEMPTION",
            a.source(),
            a.lineNumber(),
            a.node(),
            a.lineWrittenAt(),
            a.lineReadAt(),
            a.detectedAt(),
            a.evidence(),
            false);

    Anomaly uncharged = store.addAnomaly(preemption).orElseThrow();
    Anomaly charged = store.addAnomaly(anomaly(24, 0, "/run/slurm-24.out", 18)).orElseThrow();

    assertThat(uncharged).isEqualTo(preemption.withId(uncharged.id()));
    assertThat(store.anomalies(24)).extracting(Anomaly::charged).containsExactly(false, true);
    assertThat(charged.charged()).isTrue();
  }

  @Test
  void theSameLineNumberInAnotherAttemptOrSourceIsAnotherAnomaly() {
    store.saveJob(job(24, "alice"));
    Anomaly first = store.addAnomaly(anomaly(24, 0, "/run/slurm-24.out", 17)).orElseThrow();
    Anomaly otherAttempt = store.addAnomaly(anomaly(24, 1, "/run/slurm-24.out", 17)).orElseThrow();
    Anomaly otherSource = store.addAnomaly(anomaly(24, 0, "/run/train_24.log", 17)).orElseThrow();

    assertThat(store.anomalies(24)).containsExactly(first, otherAttempt, otherSource);
    assertThat(List.of(first.id(), otherAttempt.id(), otherSource.id())).doesNotHaveDuplicates();
  }

  @Test
  void addDecisionStoresTheDecisionAndItsActionsInOrder() {
    store.saveJob(job(24, "alice"));
    Anomaly a = store.addAnomaly(anomaly(24, 0, "/run/slurm-24.out", 17)).orElseThrow();
    List<Action> actions =
        List.of(
            action(0, ActionKind.REQUEUE_HOLD, 24, List.of()),
            action(1, ActionKind.EXCLUDE_NODES, 24, List.of("node07", "node08")),
            action(2, ActionKind.RELEASE, 24, List.of()));

    Decision stored = store.addDecision(decision(24, 0, a.id()), actions);

    assertThat(stored.id()).isPositive();
    assertThat(store.decision(stored.id())).contains(stored);
    assertThat(store.decisionFor(24, 0)).contains(stored);
    assertThat(store.decisionFor(24, 1)).isEmpty();
    assertThat(store.decisions(24)).containsExactly(stored);
    List<Action> loaded = store.actions(stored.id());
    assertThat(loaded).extracting(Action::seq).containsExactly(0, 1, 2);
    assertThat(loaded)
        .extracting(Action::kind)
        .containsExactly(ActionKind.REQUEUE_HOLD, ActionKind.EXCLUDE_NODES, ActionKind.RELEASE);
    assertThat(loaded.get(1).nodes()).containsExactly("node07", "node08");
    assertThat(loaded.get(0).nodes()).isEmpty();
    assertThat(loaded)
        .allSatisfy(x -> {
          assertThat(x.decisionId()).isEqualTo(stored.id());
          assertThat(x.id()).isPositive();
          assertThat(x.state()).isEqualTo(ActionState.PENDING);
        });
    assertThat(stored.reasons()).containsExactly("NCCL error on node07", "1 of 3 recoveries used");
  }

  @Test
  void unfinishedDecisionsAreThosePlannedOrInProgressOldestFirst() {
    store.saveJob(job(24, "alice"));
    store.saveJob(job(25, "alice"));
    store.saveJob(job(26, "alice"));
    Decision planned = store.addDecision(decision(24, 0, 1), List.of());
    Decision inProgress =
        store.addDecision(decision(25, 0, 2).withState(DecisionState.IN_PROGRESS, null), List.of());
    Decision done = store.addDecision(decision(26, 0, 3), List.of());
    store.saveDecision(done.withState(DecisionState.DONE, T0.plusSeconds(30)));

    assertThat(store.unfinishedDecisions()).containsExactly(planned, inProgress);
  }

  @Test
  void saveDecisionAndSaveActionRoundTrip() {
    store.saveJob(job(24, "alice"));
    Decision d =
        store.addDecision(
            decision(24, 0, 1), List.of(action(0, ActionKind.REQUEUE_HOLD, 24, List.of())));
    Action action = store.actions(d.id()).get(0);

    Action issued = action.issued(T0.plusSeconds(1));
    store.saveAction(issued);
    assertThat(store.actions(d.id())).containsExactly(issued);

    Action verified =
        issued.withOutcome(ActionState.VERIFIED, "job is held, pending", T0.plusSeconds(2));
    store.saveAction(verified);
    Decision finished = d.withState(DecisionState.DONE, T0.plusSeconds(3));
    store.saveDecision(finished);

    assertThat(store.actions(d.id())).containsExactly(verified);
    assertThat(store.actions(d.id()).get(0).tries()).isEqualTo(1);
    assertThat(store.decision(d.id())).contains(finished);
    assertThat(store.unfinishedDecisions()).isEmpty();
  }

  @Test
  void predecessorOfFindsTheJobWhoseReleaseActionTargetedTheSuccessor() {
    store.saveJob(job(100, "alice"));
    store.saveJob(job(101, "alice"));
    store.saveJob(job(102, "alice"));
    store.addDecision(
        decision(100, 0, 1),
        List.of(
            action(0, ActionKind.CANCEL, 100, List.of()),
            action(1, ActionKind.RELEASE, 101, List.of())));
    // A requeue that releases itself does not make the job its own predecessor.
    store.addDecision(decision(102, 0, 2), List.of(action(0, ActionKind.RELEASE, 102, List.of())));

    assertThat(store.predecessorOf(101)).contains(100L);
    assertThat(store.predecessorOf(102)).isEmpty();
    assertThat(store.predecessorOf(100)).isEmpty();
  }

  @Test
  void predecessorOfIgnoresAFailedDecision() {
    store.saveJob(job(100, "alice"));
    Decision d =
        store.addDecision(
            decision(100, 0, 1), List.of(action(0, ActionKind.RELEASE, 101, List.of())));
    store.saveDecision(d.withState(DecisionState.FAILED, T0.plusSeconds(5)));

    assertThat(store.predecessorOf(101)).isEmpty();
  }

  @Test
  void jobsArePagedNewestFirstAndFilteredByUserAndStatus() {
    store.saveJob(job(1, "alice", JobStatus.RUNNING, DirectiveResult.ABSENT));
    store.saveJob(job(2, "bob", JobStatus.RUNNING, DirectiveResult.ABSENT));
    store.saveJob(job(3, "alice", JobStatus.COMPLETED, DirectiveResult.ABSENT));
    store.saveJob(job(4, "alice", JobStatus.RUNNING, DirectiveResult.ABSENT));
    store.saveJob(job(5, "bob", JobStatus.FAILED, DirectiveResult.ABSENT));

    assertThat(store.jobs(new JobQuery(null, null, 2, 0)))
        .extracting(Job::jobId)
        .containsExactly(5L, 4L);
    assertThat(store.jobs(new JobQuery(null, null, 2, 2)))
        .extracting(Job::jobId)
        .containsExactly(3L, 2L);
    assertThat(store.jobs(new JobQuery(null, null, 2, 4)))
        .extracting(Job::jobId)
        .containsExactly(1L);
    assertThat(store.jobs(new JobQuery("alice", null, 10, 0)))
        .extracting(Job::jobId)
        .containsExactly(4L, 3L, 1L);
    assertThat(store.jobs(new JobQuery("alice", JobStatus.RUNNING, 10, 0)))
        .extracting(Job::jobId)
        .containsExactly(4L, 1L);
    assertThat(store.jobs(new JobQuery(null, JobStatus.FAILED, 10, 0)))
        .extracting(Job::jobId)
        .containsExactly(5L);

    assertThat(store.countJobs(new JobQuery(null, null, 2, 0))).isEqualTo(5);
    assertThat(store.countJobs(new JobQuery("alice", null, 1, 0))).isEqualTo(3);
    assertThat(store.countJobs(new JobQuery("bob", JobStatus.RUNNING, 1, 0))).isEqualTo(1);
    assertThat(store.countJobs(new JobQuery("carol", null, 1, 0))).isZero();
  }

  @Test
  void activeJobIdsAreTheJobsWhoseStatusIsNotFinal() {
    store.saveJob(job(1, "alice", JobStatus.PENDING, DirectiveResult.ABSENT));
    store.saveJob(job(2, "alice", JobStatus.RUNNING, DirectiveResult.ABSENT));
    store.saveJob(job(3, "alice", JobStatus.RECOVERING, DirectiveResult.ABSENT));
    store.saveJob(job(4, "alice", JobStatus.COMPLETED, DirectiveResult.ABSENT));
    store.saveJob(job(5, "alice", JobStatus.FAILED, DirectiveResult.ABSENT));
    store.saveJob(job(6, "alice", JobStatus.CANCELLED, DirectiveResult.ABSENT));
    store.saveJob(job(7, "alice", JobStatus.STOPPED, DirectiveResult.ABSENT));

    assertThat(store.activeJobIds()).containsExactly(1L, 2L, 3L);
  }

  @Test
  void reopeningTheDatabaseKeepsTheData() {
    Job j = job(24, "alice");
    store.saveJob(j);
    store.saveAttempt(Attempt.pending(24, 0));
    Anomaly a = store.addAnomaly(anomaly(24, 0, "/run/slurm-24.out", 3)).orElseThrow();
    Decision d =
        store.addDecision(
            decision(24, 0, a.id()), List.of(action(0, ActionKind.REQUEUE_HOLD, 24, List.of())));
    db.close();

    db = openDatabase();
    store = new SqlRecoveryStore(db, clock);

    assertThat(store.job(24)).contains(j);
    assertThat(store.attempts(24)).containsExactly(Attempt.pending(24, 0));
    assertThat(store.anomalies(24)).containsExactly(a);
    assertThat(store.decisions(24)).containsExactly(d);
    assertThat(store.actions(d.id())).hasSize(1);
    // ids keep counting after a reopen
    Anomaly next = store.addAnomaly(anomaly(24, 0, "/run/slurm-24.out", 4)).orElseThrow();
    assertThat(next.id()).isGreaterThan(a.id());
  }

  @Test
  void anAnomalyForAnUnknownJobIsRejectedByTheForeignKey() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> store.addAnomaly(anomaly(999, 0, "/x", 1)))
        .isInstanceOf(dev.ajr.core.store.StoreException.class);
  }

  @Test
  void twoWritersRacingToDecideForTheSameAttemptLeaveExactlyOneDecision() throws Exception {
    store.saveJob(job(24, "alice"));
    store.saveAttempt(Attempt.pending(24, 0));
    try (Database second = openDatabase()) {
      SqlRecoveryStore other = new SqlRecoveryStore(second, clock);
      java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
      java.util.concurrent.ExecutorService writers =
          java.util.concurrent.Executors.newFixedThreadPool(2);
      List<java.util.concurrent.Future<Decision>> results = new java.util.ArrayList<>();
      for (SqlRecoveryStore writer : List.of(store, other)) {
        results.add(
            writers.submit(() -> {
              start.await();
              return writer.addDecision(
                  decision(24, 0, 1),
                  List.of(
                      action(0, ActionKind.REQUEUE_HOLD, 24, List.of()),
                      action(1, ActionKind.RELEASE, 24, List.of())));
            }));
      }
      int won = 0;
      int lost = 0;
      for (var result : results) {
        try {
          result.get();
          won++;
        } catch (java.util.concurrent.ExecutionException e) {
          assertThat(e.getCause()).isInstanceOf(dev.ajr.core.store.StoreException.class);
          lost++;
        }
      }
      writers.shutdown();

      assertThat(won).isEqualTo(1);
      assertThat(lost).isEqualTo(1);
      assertThat(store.decisions(24)).hasSize(1);
      assertThat(other.actions(store.decisions(24).get(0).id())).hasSize(2);
    }
  }

  @Test
  void twoWritersSavingTheSameJobLeaveOneConsistentRow() throws Exception {
    try (Database second = openDatabase()) {
      SqlRecoveryStore other = new SqlRecoveryStore(second, clock);
      java.util.concurrent.ExecutorService writers =
          java.util.concurrent.Executors.newFixedThreadPool(2);
      List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
      for (SqlRecoveryStore writer : List.of(store, other)) {
        done.add(
            writers.submit(() -> {
              for (int i = 0; i < 50; i++) {
                writer.saveJob(job(24, "alice").withStatus(JobStatus.RUNNING, "round " + i));
              }
            }));
      }
      for (var f : done) {
        f.get();
      }
      writers.shutdown();

      assertThat(store.countJobs(new JobQuery(null, null, 10, 0))).isEqualTo(1);
      assertThat(other.job(24).orElseThrow().statusReason()).isEqualTo("round 49");
    }
  }

  @Test
  void pruningDeletesOldFinishedJobsWithEverythingTheyOwnAndNothingElse() {
    store.saveJob(job(1, "alice", JobStatus.COMPLETED, DirectiveResult.ABSENT));
    store.saveAttempt(Attempt.pending(1, 0));
    Anomaly a = store.addAnomaly(anomaly(1, 0, "/run/slurm-1.out", 3)).orElseThrow();
    Decision d =
        store.addDecision(
            decision(1, 0, a.id()), List.of(action(0, ActionKind.REQUEUE_HOLD, 1, List.of())));
    store.saveJob(job(2, "alice"));
    store.saveJob(job(3, "bob", JobStatus.STOPPED, DirectiveResult.ABSENT));
    store.saveJob(job(4, "bob", JobStatus.FAILED, DirectiveResult.ABSENT));

    assertThat(store.pruneFinishedJobs(T0, 500)).as("nothing is older than T0").isZero();
    assertThat(store.pruneFinishedJobs(T0.plusSeconds(1), 2)).isEqualTo(2);
    assertThat(store.pruneFinishedJobs(T0.plusSeconds(1), 2)).isEqualTo(1);

    assertThat(store.job(1)).isEmpty();
    assertThat(store.attempts(1)).isEmpty();
    assertThat(store.anomalies(1)).isEmpty();
    assertThat(store.decisions(1)).isEmpty();
    assertThat(store.actions(d.id())).isEmpty();
    assertThat(store.job(2)).as("an active job is kept").isPresent();
    assertThat(store.job(3)).isEmpty();
    assertThat(store.job(4)).isEmpty();
  }

  @Test
  void theKpiViewsCanBeQueried() {
    store.saveJob(job(24, "alice"));
    for (String view :
        List.of(
            "kpi_recoveries",
            "kpi_requeues_by_cause",
            "kpi_node_failures",
            "kpi_jobs",
            "kpi_interruptions",
            "kpi_downtime",
            "kpi_goodput",
            "kpi_gpu_hours_lost")) {
      assertThat(db.query("SELECT COUNT(*) AS n FROM " + view, r -> r.getInt("n")))
          .as(view)
          .hasSize(1);
    }
    assertThat(db.query("SELECT attempts FROM kpi_jobs WHERE job_id = 24", r -> r.getInt(1)))
        .containsExactly(0);
  }

  @Test
  void aJobsGpusAreKept() {
    store.saveJob(job(24, "alice").withGpus(8));

    assertThat(store.job(24).orElseThrow().gpus()).isEqualTo(8);
  }

  @Test
  void aFinalOutcomeIsNeverTakenBackByALateWriter() {
    store.saveJob(job(24, "alice"));
    Decision d =
        store.addDecision(
            decision(24, 0, 1), List.of(action(0, ActionKind.REQUEUE_HOLD, 24, List.of())));
    Action a = store.actions(d.id()).get(0);
    store.saveAction(a.withOutcome(ActionState.VERIFIED, "verified", T0));
    store.saveDecision(d.withState(DecisionState.DONE, T0));

    store.saveAction(a.issued(T0).withOutcome(ActionState.ISSUED, "a late retry", T0));
    store.saveDecision(d.withState(DecisionState.IN_PROGRESS, null));

    assertThat(store.actions(d.id()).get(0).state()).isEqualTo(ActionState.VERIFIED);
    assertThat(store.actions(d.id()).get(0).outcome()).isEqualTo("verified");
    assertThat(store.decision(d.id()).orElseThrow().state()).isEqualTo(DecisionState.DONE);
  }

  @Test
  void nodeHealthAndHistoryForLemonsAndTheBlastRadius() {
    SqlNodeStore nodes = new SqlNodeStore(db);
    nodes.saveNode(
        new dev.ajr.core.node.NodeRecord(
            "node3",
            dev.ajr.core.node.NodeHealth.DRAINING,
            "the kernel log of node3 shows GPU_HARDWARE",
            "NVRM: Xid 79 \u2713",
            7,
            T0));
    nodes.saveNode(dev.ajr.core.node.NodeRecord.ok("node1", T0));
    assertThat(nodes.draining())
        .extracting(dev.ajr.core.node.NodeRecord::name)
        .containsExactly("node3");
    assertThat(nodes.node("node3").orElseThrow().evidence()).isEqualTo("NVRM: Xid 79 \u2713");
    for (long job : new long[] {10, 11, 11, 12}) {
      nodes.addEvent(
          new dev.ajr.core.node.NodeEvent(
              0,
              "node3",
              T0.plusSeconds(job),
              dev.ajr.core.node.NodeEvent.Kind.IMPLICATED,
              "x",
              job,
              0,
              "ajr"));
    }
    dev.ajr.core.node.NodeEvent planned =
        nodes.addEvent(
            new dev.ajr.core.node.NodeEvent(
                0,
                "node3",
                T0.plusSeconds(20),
                dev.ajr.core.node.NodeEvent.Kind.DRAIN_PLANNED,
                "why",
                12,
                7,
                "ajr"));
    assertThat(planned.id()).isPositive();
    assertThat(nodes.implicatingJobs("node3", T0)).containsExactly(10L, 11L, 12L);
    assertThat(nodes.implicatingJobs("node3", T0.plusSeconds(11))).containsExactly(11L, 12L);
    assertThat(nodes.drainsSince(T0)).isEqualTo(1);
    assertThat(nodes.drainsSince(T0.plusSeconds(21))).isZero();
    assertThat(nodes.events("node3", 2))
        .extracting(dev.ajr.core.node.NodeEvent::kind)
        .containsExactly(
            dev.ajr.core.node.NodeEvent.Kind.DRAIN_PLANNED,
            dev.ajr.core.node.NodeEvent.Kind.IMPLICATED);
    nodes.saveNode(dev.ajr.core.node.NodeRecord.ok("node3", T0.plusSeconds(30)));
    assertThat(nodes.draining()).isEmpty();
    assertThat(nodes.nodes()).hasSize(2);
  }

  private static ProgressEvent progress(ProgressEvent.Kind kind, long iteration) {
    return new ProgressEvent(kind, iteration, Double.NaN, 0);
  }

  @Test
  void progressSumsUpTheCheckpointsAndIterationsOfEachAttempt() {
    store.saveJob(job(24, "alice"));
    store.saveJob(job(25, "alice"));
    SqlProgressMarks marks = new SqlProgressMarks(db);
    marks.record(24, 0, progress(ProgressEvent.Kind.CHECKPOINT_SAVED, 1000), T0);
    marks.record(24, 0, progress(ProgressEvent.Kind.CHECKPOINT_SAVED, 3000), T0.plusSeconds(5));
    marks.record(24, 0, progress(ProgressEvent.Kind.CHECKPOINT_LOADED, 9000), T0.plusSeconds(6));
    marks.record(24, 1, progress(ProgressEvent.Kind.CHECKPOINT_SAVED, -1), T0.plusSeconds(60));
    marks.record(24, 2, progress(ProgressEvent.Kind.ITERATION, 100), T0.plusSeconds(90));
    marks.record(25, 0, progress(ProgressEvent.Kind.ITERATION, 7), T0);

    assertThat(store.progress(24))
        .containsExactly(
            new AttemptProgress(0, 2, 3000, -1),
            new AttemptProgress(1, 1, -1, -1),
            new AttemptProgress(2, 0, -1, 100));
    assertThat(store.progress(26)).isEmpty();
  }

  @Test
  void anAttemptsHighestIterationIsOneRowRaisedNowAndThen() {
    store.saveJob(job(24, "alice"));
    SqlProgressMarks marks = new SqlProgressMarks(db);
    marks.record(24, 0, progress(ProgressEvent.Kind.ITERATION, 10), T0);
    marks.record(24, 0, progress(ProgressEvent.Kind.ITERATION, 20), T0.plusSeconds(1));
    assertThat(store.progress(24)).containsExactly(new AttemptProgress(0, 0, -1, 10));

    marks.record(24, 0, progress(ProgressEvent.Kind.ITERATION, 500), T0.plusSeconds(11));
    marks.record(24, 0, progress(ProgressEvent.Kind.ITERATION, 400), T0.plusSeconds(30));
    marks.record(24, 0, progress(ProgressEvent.Kind.ITERATION, -1), T0.plusSeconds(60));
    assertThat(store.progress(24)).containsExactly(new AttemptProgress(0, 0, -1, 500));

    // After a restart of ajr the row is raised, never duplicated.
    SqlProgressMarks again = new SqlProgressMarks(db);
    again.record(24, 0, progress(ProgressEvent.Kind.ITERATION, 300), T0.plusSeconds(70));
    again.record(24, 0, progress(ProgressEvent.Kind.ITERATION, 900), T0.plusSeconds(90));
    again.record(24, 1, progress(ProgressEvent.Kind.ITERATION, 5), T0.plusSeconds(95));
    assertThat(store.progress(24))
        .containsExactly(new AttemptProgress(0, 0, -1, 900), new AttemptProgress(1, 0, -1, 5));
    assertThat(
            db.query(
                "SELECT COUNT(*) AS n FROM progress_marks WHERE job_id = 24", r -> r.getInt("n")))
        .containsExactly(2);
  }

  @Test
  void restartsSinceCountsTheClustersRestartsAndReleasesThatActedSinceATime() {
    for (long id = 30; id <= 36; id++) {
      store.saveJob(job(id, "alice"));
    }
    List<Action> requeue = List.of(action(0, ActionKind.REQUEUE_HOLD, 30, List.of()));
    store.addDecision(decision(30, 0, 1), requeue);
    store.addDecision(
        release(31, T0.plusSeconds(10)), List.of(action(0, ActionKind.RELEASE, 99, List.of())));
    store.addDecision(atTime(decision(32, 0, 3), T0.minusSeconds(1)), requeue);
    Decision failed = store.addDecision(decision(33, 0, 4), requeue);
    store.saveDecision(failed.withState(DecisionState.FAILED, T0));
    Action skipped =
        action(0, ActionKind.REQUEUE_HOLD, 34, List.of())
            .withOutcome(ActionState.SKIPPED, "not sent: observe mode", T0);
    store.addDecision(decision(34, 0, 5), List.of(skipped));
    store.addDecision(stop(35), List.of(action(0, ActionKind.CANCEL, 35, List.of())));
    store.addDecision(decision(36, 0, 6), List.of());

    assertThat(store.restartsSince(T0)).isEqualTo(2);
    assertThat(store.restartsSince(T0.minusSeconds(1))).isEqualTo(3);
    assertThat(store.restartsSince(T0.plusSeconds(11))).isZero();
  }

  private static Decision atTime(Decision d, Instant at) {
    return new Decision(
        d.id(),
        d.jobId(),
        d.attemptIndex(),
        d.operation(),
        d.reasons(),
        d.anomalyId(),
        d.state(),
        d.stopsJob(),
        d.stopReason(),
        at,
        d.finishedAt());
  }

  private static Decision release(long jobId, Instant at) {
    return new Decision(
        0,
        jobId,
        0,
        Operation.RELEASE,
        List.of("released"),
        2,
        DecisionState.PLANNED,
        false,
        "",
        at,
        null);
  }

  private static Decision stop(long jobId) {
    return new Decision(
        0,
        jobId,
        0,
        Operation.STOP,
        List.of("stopped"),
        7,
        DecisionState.PLANNED,
        true,
        "stopped",
        T0,
        null);
  }

  @Test
  void theLeaderLeaseGoesToOneReplicaAtATimeWithAGrowingFencingToken() {
    dev.ajr.server.cluster.LeaderLease lease = new dev.ajr.server.cluster.LeaderLease(db);
    java.time.Duration six = java.time.Duration.ofSeconds(6);
    assertThat(lease.acquire("a", T0, six)).contains(1L);
    assertThat(lease.acquire("b", T0.plusSeconds(1), six)).as("held by a").isEmpty();
    assertThat(lease.acquire("a", T0.plusSeconds(2), six)).as("renewed").contains(1L);
    assertThat(lease.acquire("b", T0.plusSeconds(7), six)).as("not yet expired").isEmpty();
    assertThat(lease.acquire("b", T0.plusSeconds(9), six)).as("taken over").contains(2L);
    assertThat(lease.acquire("a", T0.plusSeconds(10), six)).as("the old leader").isEmpty();
    assertThat(lease.current().orElseThrow().replica()).isEqualTo("b");
    lease.release("b");
    assertThat(lease.acquire("c", T0.plusSeconds(11), six)).as("released: at once").contains(3L);
  }

  @Test
  void aChangeAndItsEventAreWrittenTogetherAndHeardOfOnlyOnceCommitted() {
    SqlOutbox outbox = new SqlOutbox(db);
    java.util.List<String> heard = new java.util.ArrayList<>();
    Job job = job(77, "alice");
    org.assertj.core.api.Assertions.assertThatThrownBy(() ->
            store.atomically(() -> {
              store.saveJob(job);
              outbox.append(
                  dev.ajr.server.events.EventMessages.of(
                      new dev.ajr.core.event.AjrEvent.JobDiscovered(job), T0),
                  T0);
              db.afterCommit(() -> heard.add("discovered"));
              throw new IllegalStateException("ajr stops between the two writes");
            }))
        .isInstanceOf(IllegalStateException.class);
    assertThat(store.job(77)).isEmpty();
    assertThat(outbox.unsentCount()).isZero();
    assertThat(heard).isEmpty();

    store.atomically(() -> {
      store.saveJob(job);
      outbox.append(
          dev.ajr.server.events.EventMessages.of(
              new dev.ajr.core.event.AjrEvent.JobDiscovered(job), T0),
          T0);
      db.afterCommit(() -> heard.add("discovered"));
      assertThat(heard).as("not before the commit").isEmpty();
    });
    assertThat(store.job(77)).isPresent();
    assertThat(outbox.unsentCount()).isEqualTo(1);
    assertThat(heard).containsExactly("discovered");
  }

  @Test
  void anAnomalysExcerptRoundTripsAndGrowsInLineOrder() {
    store.saveJob(job(24, "alice"));
    long id = store.addAnomaly(anomaly(24, 0, "/w/slurm-24.out", 10)).orElseThrow().id();
    long other = store.addAnomaly(anomaly(24, 0, "/w/slurm-24.out", 30)).orElseThrow().id();
    assertThat(store.excerpts(24)).as("none stored yet, as for old anomalies").isEmpty();

    store.appendExcerpt(
        id,
        List.of(
            new ExcerptLine(8, "step 99 loss 1.25", false),
            new ExcerptLine(9, "it's \"quoted\" and \\ back\tslashed", false),
            new ExcerptLine(10, "NCCL watchdog timeout", true)));
    store.appendExcerpt(id, List.of(new ExcerptLine(11, "after 1 – ünïcödé 💥", false)));
    store.appendExcerpt(
        id,
        List.of(new ExcerptLine(11, "after 1 again", false), new ExcerptLine(7, "early", false)));

    assertThat(store.excerpts(24))
        .containsOnlyKeys(id)
        .containsEntry(
            id,
            List.of(
                new ExcerptLine(7, "early", false),
                new ExcerptLine(8, "step 99 loss 1.25", false),
                new ExcerptLine(9, "it's \"quoted\" and \\ back\tslashed", false),
                new ExcerptLine(10, "NCCL watchdog timeout", true),
                new ExcerptLine(11, "after 1 – ünïcödé 💥", false)));
    assertThat(store.anomalies(24)).extracting(Anomaly::id).containsExactly(id, other);
    assertThat(store.excerpts(25)).isEmpty();
  }

  @Test
  void anExcerptIsKeptAsDataWhateverTheJobPrinted() {
    store.saveJob(job(24, "alice"));
    long id = store.addAnomaly(anomaly(24, 0, "/w/o", 3)).orElseThrow().id();
    String hostile = "'); DROP TABLE anomalies; --\u0000\u001b[31m<script>x</script>\uD800";

    store.appendExcerpt(id, List.of(new ExcerptLine(3, hostile, true)));

    ExcerptLine back = store.excerpts(24).get(id).get(0);
    assertThat(back.text())
        .isEqualTo("'); DROP TABLE anomalies; --\uFFFD\uFFFD[31m<script>x</script>\uFFFD");
    assertThat(store.anomalies(24)).hasSize(1);
  }

  @Test
  void anExcerptStaysWithinItsSizeBoundAndKeepsItsRootLine() {
    store.saveJob(job(24, "alice"));
    long id = store.addAnomaly(anomaly(24, 0, "/w/o", 20)).orElseThrow().id();
    String wide = "漢".repeat(ExcerptLine.MAX_CHARS); // 1500 bytes in UTF-8
    for (int n = 12; n <= 24; n++) {
      store.appendExcerpt(id, List.of(new ExcerptLine(n, wide, n == 20)));
    }

    List<ExcerptLine> kept = store.excerpts(24).get(id);
    assertThat(Excerpt.size(kept)).isLessThanOrEqualTo(Excerpt.MAX_BYTES);
    assertThat(kept)
        .filteredOn(ExcerptLine::root)
        .extracting(ExcerptLine::lineNumber)
        .containsExactly(20L);
    assertThat(kept.size()).isBetween(9, 12);
    Long stored =
        db.queryOne(
                "SELECT excerpt FROM anomalies WHERE id = ?",
                r ->
                    (long)
                        r.getString("excerpt")
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8)
                            .length,
                id)
            .orElseThrow();
    assertThat(stored).isLessThanOrEqualTo(Excerpt.MAX_BYTES);
  }

  @Test
  void anExcerptForAnAnomalyThatIsGoneIsDropped() {
    store.appendExcerpt(999_999, List.of(new ExcerptLine(1, "x", true)));

    assertThat(store.anomaliesAfter(0, 10)).isEmpty();
  }

  @Test
  void pruningAFinishedJobTakesItsExcerptsWithIt() {
    store.saveJob(job(24, "alice", JobStatus.COMPLETED, DirectiveResult.ABSENT));
    long id = store.addAnomaly(anomaly(24, 0, "/w/o", 3)).orElseThrow().id();
    store.appendExcerpt(id, List.of(new ExcerptLine(3, "boom", true)));

    assertThat(store.pruneFinishedJobs(T0.plusSeconds(1), 10)).isEqualTo(1);

    assertThat(store.excerpts(24)).isEmpty();
    assertThat(db.queryOne("SELECT COUNT(*) AS n FROM anomalies", r -> r.getLong("n")))
        .contains(0L);
  }
}
