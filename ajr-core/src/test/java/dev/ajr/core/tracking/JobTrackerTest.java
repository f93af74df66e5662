package dev.ajr.core.tracking;

import static dev.ajr.core.testing.SchedulerJobBuilder.job;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.core.event.AjrEvent;
import dev.ajr.core.job.Attempt;
import dev.ajr.core.job.AttemptState;
import dev.ajr.core.job.AutoResumeMode;
import dev.ajr.core.job.DirectiveResult;
import dev.ajr.core.job.Job;
import dev.ajr.core.job.JobStatus;
import dev.ajr.core.scheduler.SchedulerJob;
import dev.ajr.core.store.JobLocks;
import dev.ajr.core.testing.Fixtures;
import dev.ajr.core.testing.InMemoryRecoveryStore;
import dev.ajr.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JobTrackerTest {

  private static final long JOB = 42;
  private static final Instant START = Instant.parse("2026-01-01T00:00:01Z");

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:10:00Z"));
  private final InMemoryRecoveryStore store = new InMemoryRecoveryStore();
  private final List<AjrEvent> events = new ArrayList<>();
  private final JobTracker tracker = new JobTracker(store, events::add, new JobLocks(), clock);

  private Attempt attempt(int index) {
    return store.attempts(JOB).stream().filter(a -> a.index() == index).findFirst().orElseThrow();
  }

  @Test
  void recordsJobThatStartedAndEndedBetweenTwoPolls() {
    Instant end = Instant.parse("2026-01-01T00:05:00Z");
    SchedulerJob done =
        job(JOB).state("COMPLETED").startTime(START).endTime(end).exitCode(0).build();

    List<ActiveAttempt> active = tracker.reconcile(List.of(done));

    assertThat(active).isEmpty();
    Job job = store.job(JOB).orElseThrow();
    assertThat(job.status()).isEqualTo(JobStatus.COMPLETED);
    assertThat(job.firstSeen()).isEqualTo(clock.instant());
    assertThat(store.attempts(JOB)).hasSize(1);
    Attempt first = attempt(0);
    assertThat(first.state()).isEqualTo(AttemptState.COMPLETED);
    assertThat(first.exitCode()).isZero();
    assertThat(first.startTime()).isEqualTo(START);
    assertThat(first.endTime()).isEqualTo(end);
    assertThat(first.nodes()).containsExactly("node1");
    assertThat(first.endReason()).isEqualTo("completed with exit code 0");
    assertThat(events)
        .containsExactly(
            new AjrEvent.JobDiscovered(job),
            new AjrEvent.AttemptEnded(
                JOB, 0, AttemptState.COMPLETED, "completed with exit code 0", end));
  }

  @Test
  void recordsFailedAttemptWithItsExitCode() {
    tracker.reconcile(
        List.of(job(JOB).state("FAILED").endTime(START.plusSeconds(9)).exitCode(3).build()));

    assertThat(attempt(0).state()).isEqualTo(AttemptState.FAILED);
    assertThat(attempt(0).exitCode()).isEqualTo(3);
    assertThat(attempt(0).endReason()).isEqualTo("failed with exit code 3");
    assertThat(store.job(JOB).orElseThrow().status()).isEqualTo(JobStatus.FAILED);
  }

  @Test
  void parsesDirectiveOfNewJob() {
    tracker.reconcile(List.of(job(JOB).build()));

    assertThat(store.job(JOB).orElseThrow().directive())
        .isInstanceOfSatisfying(
            DirectiveResult.Valid.class,
            v -> assertThat(v.directive().mode()).isEqualTo(AutoResumeMode.REQUEUE));
  }

  @Test
  void createsSkippedAttemptsAsRequeuedWhenRestartCountJumps() {
    tracker.reconcile(List.of(job(JOB).build()));
    assertThat(attempt(0).state()).isEqualTo(AttemptState.RUNNING);
    events.clear();
    clock.advance(Duration.ofMinutes(5));
    Instant restarted = clock.instant().minusSeconds(10);

    tracker.reconcile(
        List.of(job(JOB).restartCount(2).nodes("node3").startTime(restarted).build()));

    assertThat(store.attempts(JOB)).extracting(Attempt::index).containsExactly(0, 1, 2);
    assertThat(attempt(0).state()).isEqualTo(AttemptState.REQUEUED);
    assertThat(attempt(0).endTime()).isEqualTo(clock.instant());
    assertThat(attempt(1).state()).isEqualTo(AttemptState.REQUEUED);
    assertThat(attempt(1).endReason()).contains("before ajr saw it end");
    assertThat(attempt(2).state()).isEqualTo(AttemptState.RUNNING);
    assertThat(attempt(2).nodes()).containsExactly("node3");
    assertThat(attempt(2).startTime()).isEqualTo(restarted);
    assertThat(events)
        .containsExactly(
            new AjrEvent.AttemptEnded(JOB, 0, AttemptState.REQUEUED, "requeued", clock.instant()),
            new AjrEvent.AttemptStarted(JOB, 2, List.of("node3"), restarted));
  }

  @Test
  void firstSightingOfRequeuedJobCreatesEarlierAttemptsAsRequeued() {
    tracker.reconcile(List.of(job(JOB).restartCount(2).build()));

    assertThat(store.attempts(JOB))
        .extracting(Attempt::state)
        .containsExactly(AttemptState.REQUEUED, AttemptState.REQUEUED, AttemptState.RUNNING);
  }

  @Test
  void neverOverwritesKilledAttemptWithLaterCancelledSnapshot() {
    tracker.reconcile(List.of(job(JOB).build()));
    Attempt killed =
        attempt(0).ended(AttemptState.KILLED, clock.instant(), null, "killed by ajr: segfault");
    store.saveAttempt(killed);
    events.clear();
    clock.advance(Duration.ofSeconds(30));

    tracker.reconcile(
        List.of(job(JOB).state("CANCELLED").endTime(clock.instant()).exitCode(143).build()));

    assertThat(attempt(0)).isEqualTo(killed);
    assertThat(events).noneMatch(e -> e instanceof AjrEvent.AttemptEnded);
  }

  @Test
  void stoppedJobKeepsItsStatus() {
    store.saveJob(
        Fixtures.job(JOB, Fixtures.requeue(1), JobStatus.STOPPED)
            .withStatus(JobStatus.STOPPED, "stopped: the requeue limit of 1 is reached"));

    tracker.reconcile(List.of(job(JOB).state("CANCELLED").endTime(clock.instant()).build()));

    Job job = store.job(JOB).orElseThrow();
    assertThat(job.status()).isEqualTo(JobStatus.STOPPED);
    assertThat(job.statusReason()).contains("requeue limit");
    assertThat(events).noneMatch(e -> e instanceof AjrEvent.JobStatusChanged);
  }

  @Test
  void recoveringJobKeepsItsStatus() {
    store.saveJob(Fixtures.job(JOB, Fixtures.requeue(1), JobStatus.RECOVERING));

    tracker.reconcile(List.of(job(JOB).state("PENDING").held(true).restartCount(1).build()));

    assertThat(store.job(JOB).orElseThrow().status()).isEqualTo(JobStatus.RECOVERING);
  }

  @Test
  void followsStatusChangesOfUnfinishedJob() {
    tracker.reconcile(List.of(job(JOB).state("PENDING").startTime(null).build()));
    assertThat(store.job(JOB).orElseThrow().status()).isEqualTo(JobStatus.PENDING);

    tracker.reconcile(List.of(job(JOB).build()));

    assertThat(store.job(JOB).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
    assertThat(events).contains(new AjrEvent.JobStatusChanged(JOB, JobStatus.RUNNING, ""));
  }

  @Test
  void reportsRunningAndWaitingAttempts() {
    SchedulerJob running = job(JOB).startTime(START).build();
    SchedulerJob pending =
        job(JOB + 1)
            .state("PENDING")
            .reason("JobHeldUser")
            .held(true)
            .nodes()
            .startTime(null)
            .build();

    List<ActiveAttempt> active = tracker.reconcile(List.of(running, pending));

    assertThat(active)
        .containsExactly(
            new ActiveAttempt(
                JOB,
                0,
                true,
                "/work/alice",
                "/work/alice/train.out",
                "/work/alice/train.out",
                List.of("node1"),
                START),
            new ActiveAttempt(
                JOB + 1,
                0,
                false,
                "/work/alice",
                "/work/alice/train.out",
                "/work/alice/train.out",
                List.of(),
                null));
  }

  @Test
  void publishesDiscoveryAndStartOnce() {
    SchedulerJob running = job(JOB).startTime(START).build();

    tracker.reconcile(List.of(running));
    tracker.reconcile(List.of(running));

    assertThat(events)
        .containsExactly(
            new AjrEvent.JobDiscovered(store.job(JOB).orElseThrow()),
            new AjrEvent.AttemptStarted(JOB, 0, List.of("node1"), START));
  }

  @Test
  void updatesOutputPathsOnceSchedulerResolvesThem() {
    tracker.reconcile(List.of(job(JOB).build()));
    SchedulerJob resolved = job(JOB).build().withOutputs("/work/alice/out-42.log", "");

    List<ActiveAttempt> active = tracker.reconcile(List.of(resolved));

    assertThat(store.job(JOB).orElseThrow().stdOut()).isEqualTo("/work/alice/out-42.log");
    assertThat(active.get(0).stdOut()).isEqualTo("/work/alice/out-42.log");
  }

  @Test
  void aPathStillHoldingPatternsNeverReplacesAResolvedOne() {
    tracker.reconcile(
        List.of(job(JOB).build().withOutputs("/work/alice/out-42.log", "/work/alice/out-42.log")));

    tracker.reconcile(
        List.of(
            job(JOB)
                .state("COMPLETED")
                .endTime(START.plusSeconds(5))
                .exitCode(0)
                .build()
                .withOutputs("/work/alice/out-%j.log", "/work/alice/out-%j.log")));

    assertThat(store.job(JOB).orElseThrow().stdOut()).isEqualTo("/work/alice/out-42.log");
  }

  @Test
  void aJobSlurmForgetsIsMarkedLostAfterThreeSnapshotsWithoutIt() {
    tracker.reconcile(List.of(job(JOB).state("RUNNING").startTime(START).build()));

    tracker.reconcile(List.of());
    tracker.reconcile(List.of());
    assertThat(store.job(JOB).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);

    tracker.reconcile(List.of());
    Job lost = store.job(JOB).orElseThrow();
    assertThat(lost.status()).isEqualTo(JobStatus.LOST);
    assertThat(lost.statusReason()).contains("no longer knows");
    assertThat(attempt(0).state()).isEqualTo(AttemptState.UNKNOWN);
  }

  @Test
  void aJobMissingFromOneSnapshotOnlyIsNotLost() {
    SchedulerJob running = job(JOB).state("RUNNING").startTime(START).build();
    tracker.reconcile(List.of(running));
    tracker.reconcile(List.of());
    tracker.reconcile(List.of());
    tracker.reconcile(List.of(running));
    tracker.reconcile(List.of());
    tracker.reconcile(List.of());

    assertThat(store.job(JOB).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
  }

  @Test
  void whileRecoveringTheAttemptsAreLeftToTheExecutorAndTheLogsStillFollowed() {
    tracker.reconcile(List.of(job(JOB).state("RUNNING").startTime(START).build()));
    Job job = store.job(JOB).orElseThrow();
    store.saveJob(job.withStatus(JobStatus.RECOVERING, "CRASH anomaly"));
    events.clear();

    List<ActiveAttempt> active =
        tracker.reconcile(
            List.of(job(JOB).state("CANCELLED").endTime(START.plusSeconds(30)).build()));

    assertThat(attempt(0).state()).isEqualTo(AttemptState.RUNNING);
    assertThat(events).isEmpty();
    assertThat(active).singleElement().satisfies(a -> assertThat(a.running()).isTrue());
  }

  @Test
  void anUnchangedJobCostsNoStoreWorkButStaysActive() {
    SchedulerJob running = job(JOB).build();
    tracker.reconcile(List.of(running));
    Job recorded = store.job(JOB).orElseThrow();
    // Changed behind the tracker's back: a round that reconciled the job would set it back.
    store.saveJob(recorded.withStatus(JobStatus.PENDING, "test"));
    events.clear();

    List<ActiveAttempt> active = tracker.reconcile(List.of(running));

    assertThat(active).singleElement().satisfies(a -> assertThat(a.running()).isTrue());
    assertThat(store.job(JOB).orElseThrow().status()).isEqualTo(JobStatus.PENDING);
    assertThat(events).isEmpty();
  }

  @Test
  void aJobSomeoneElseChangedIsReconciledInTheNextRound() {
    SchedulerJob running = job(JOB).build();
    tracker.reconcile(List.of(running));
    store.saveJob(store.job(JOB).orElseThrow().withStatus(JobStatus.PENDING, "test"));

    tracker.touched(JOB);
    tracker.reconcile(List.of(running));

    assertThat(store.job(JOB).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
  }

  @Test
  void everyRecordedJobIsReconciledAgainNowAndThen() {
    SchedulerJob running = job(JOB).build();
    tracker.reconcile(List.of(running));
    store.saveJob(store.job(JOB).orElseThrow().withStatus(JobStatus.PENDING, "test"));

    for (int i = 1; i < JobTracker.REFRESH_ROUNDS; i++) {
      tracker.reconcile(List.of(running));
    }

    assertThat(store.job(JOB).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
  }

  @Test
  void aChangedJobIsReconciled() {
    tracker.reconcile(List.of(job(JOB).build()));

    tracker.reconcile(List.of(job(JOB).state("FAILED").endTime(START.plusSeconds(5)).build()));

    assertThat(attempt(0).state()).isEqualTo(AttemptState.FAILED);
  }

  @Test
  void aPendingJobThatDidNotOptInIsRecordedOnlyOnceItStarts() {
    SchedulerJob queued = job(JOB).comment("").state("PENDING").startTime(null).build();

    assertThat(tracker.reconcile(List.of(queued))).isEmpty();
    assertThat(store.job(JOB)).isEmpty();
    assertThat(events).isEmpty();

    tracker.reconcile(List.of(job(JOB).comment("").build()));

    assertThat(store.job(JOB).orElseThrow().directive()).isInstanceOf(DirectiveResult.Absent.class);
    assertThat(attempt(0).state()).isEqualTo(AttemptState.RUNNING);
  }

  @Test
  void pendingJobsThatOptedInOrAreAlreadyRecordedAreTracked() {
    SchedulerJob optedIn = job(JOB).state("PENDING").startTime(null).build();
    SchedulerJob bad =
        job(JOB + 1)
            .comment("{\"APS\": {\"auto_resume_mode\": \"x\"}}")
            .state("PENDING")
            .startTime(null)
            .build();
    tracker.reconcile(List.of(job(JOB + 2).comment("").build()));
    SchedulerJob requeued =
        job(JOB + 2).comment("").state("PENDING").startTime(null).restartCount(1).build();

    tracker.reconcile(List.of(optedIn, bad, requeued));

    assertThat(store.job(JOB)).isPresent();
    assertThat(store.job(JOB + 1).orElseThrow().directive())
        .isInstanceOf(DirectiveResult.Invalid.class);
    assertThat(store.attempts(JOB + 2)).hasSize(2);
  }

  @Test
  void jobsAjrActedOnAreHotForAWhileWhileActive() {
    tracker.reconcile(List.of(job(JOB).build(), job(JOB + 1).build(), job(JOB + 2).build()));

    tracker.actedOn(JOB);
    clock.advance(Duration.ofSeconds(1));
    tracker.actedOn(JOB + 1);
    tracker.touched(JOB + 2);

    assertThat(tracker.hotJobs(8)).containsExactly(JOB + 1, JOB);
    assertThat(tracker.hotJobs(1)).containsExactly(JOB + 1);
    clock.advance(JobTracker.HOT_FOR.plusSeconds(1));
    assertThat(tracker.hotJobs(8)).isEmpty();
  }

  @Test
  void anEndedJobIsNoLongerHot() {
    tracker.reconcile(List.of(job(JOB).build()));
    tracker.actedOn(JOB);

    tracker.reconcileSome(
        List.of(job(JOB).state("COMPLETED").endTime(START.plusSeconds(9)).exitCode(0).build()));

    assertThat(tracker.hotJobs(8)).isEmpty();
  }

  @Test
  void aSingleLookReconcilesOnlyThatJobAndNeverCountsOthersMissing() {
    tracker.reconcile(List.of(job(JOB).build(), job(JOB + 1).build()));

    for (int i = 0; i < JobTracker.MISSES_BEFORE_LOST + 1; i++) {
      List<ActiveAttempt> active = tracker.reconcileSome(List.of(job(JOB).restartCount(1).build()));
      assertThat(active).extracting(ActiveAttempt::attemptIndex).containsExactly(1);
    }

    assertThat(store.job(JOB + 1).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
    assertThat(attempt(0).state()).isEqualTo(AttemptState.REQUEUED);
  }

  @Test
  void aRequeuedRunStillCompletingIsNotTheNextAttemptStarting() {
    tracker.reconcile(List.of(job(JOB).state("RUNNING").startTime(START).build()));

    List<ActiveAttempt> completing =
        tracker.reconcileSome(
            List.of(job(JOB).state("COMPLETING").restartCount(1).startTime(START).build()));

    assertThat(completing).extracting(ActiveAttempt::attemptIndex).containsExactly(1);
    assertThat(completing.get(0).running()).isFalse();
    assertThat(attempt(1).state()).isEqualTo(AttemptState.PENDING);
    assertThat(attempt(0).state()).isEqualTo(AttemptState.REQUEUED);

    Instant restarted = START.plusSeconds(40);
    List<ActiveAttempt> running =
        tracker.reconcileSome(
            List.of(job(JOB).state("RUNNING").restartCount(1).startTime(restarted).build()));

    assertThat(running.get(0).running()).isTrue();
    assertThat(attempt(1).startTime()).isEqualTo(restarted);
  }

  @Test
  void aListingBegunBeforeALookDoesNotTakeTheJobBack() {
    tracker.reconcile(List.of(job(JOB).state("RUNNING").startTime(START).build()));
    SchedulerJob requeuedAndRunningAgain =
        job(JOB).state("RUNNING").restartCount(1).startTime(START.plusSeconds(60)).build();
    tracker.reconcileSome(List.of(requeuedAndRunningAgain));
    SchedulerJob stale = job(JOB).state("RUNNING").startTime(START).build();

    List<ActiveAttempt> active = tracker.reconcile(List.of(stale), java.util.Set.of(JOB));

    assertThat(active).extracting(ActiveAttempt::attemptIndex).containsExactly(1);
    assertThat(attempt(1).state()).isEqualTo(AttemptState.RUNNING);
    assertThat(tracker.reconcile(List.of(requeuedAndRunningAgain)))
        .extracting(ActiveAttempt::attemptIndex)
        .containsExactly(1);
  }

  @Test
  void aJobALookFoundThatALongListingMissedIsNeitherMissingNorForgotten() {
    tracker.reconcileSome(List.of(job(JOB).state("RUNNING").startTime(START).build()));

    for (int i = 0; i < JobTracker.MISSES_BEFORE_LOST + 1; i++) {
      List<ActiveAttempt> active = tracker.reconcile(List.of(), java.util.Set.of(JOB));
      assertThat(active).extracting(ActiveAttempt::jobId).containsExactly(JOB);
    }

    assertThat(store.job(JOB).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
  }

  @Test
  void aJobSlurmForgotEndsAsTheAccountingSaysInsteadOfLost() {
    SchedulerJob ended =
        job(JOB).comment("").state("FAILED").endTime(START.plusSeconds(30)).exitCode(1).build();
    JobTracker withAccounting =
        new JobTracker(store, events::add, new JobLocks(), clock, id -> Optional.of(ended));
    withAccounting.reconcile(List.of(job(JOB).build()));

    for (int i = 0; i < JobTracker.MISSES_BEFORE_LOST; i++) {
      withAccounting.reconcile(List.of());
    }

    assertThat(store.job(JOB).orElseThrow().status()).isEqualTo(JobStatus.FAILED);
    assertThat(attempt(0).state()).isEqualTo(AttemptState.FAILED);
    assertThat(attempt(0).exitCode()).isEqualTo(1);
    assertThat(store.job(JOB).orElseThrow().comment()).isNotEmpty();
  }

  @Test
  void aJobNobodyRemembersIsLost() {
    JobTracker withAccounting =
        new JobTracker(store, events::add, new JobLocks(), clock, id -> Optional.empty());
    withAccounting.reconcile(List.of(job(JOB).build()));

    for (int i = 0; i < JobTracker.MISSES_BEFORE_LOST; i++) {
      withAccounting.reconcile(List.of());
    }

    assertThat(store.job(JOB).orElseThrow().status()).isEqualTo(JobStatus.LOST);
  }

  @Test
  void aFinishedJobThatDidNotOptInAndWasNeverSeenRunningIsNotRecorded() {
    SchedulerJob finished =
        job(JOB).comment("").state("CANCELLED").endTime(START.plusSeconds(5)).build();

    tracker.reconcile(List.of(finished));

    assertThat(store.job(JOB)).isEmpty();
  }
}
