package dev.ajr.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.core.event.EventSink;
import dev.ajr.core.store.JobLocks;
import dev.ajr.core.testing.FakeScheduler;
import dev.ajr.core.testing.InMemoryRecoveryStore;
import dev.ajr.core.testing.MutableClock;
import dev.ajr.core.testing.SchedulerJobBuilder;
import dev.ajr.core.tracking.ActiveAttempt;
import dev.ajr.core.tracking.JobTracker;
import dev.ajr.server.http.SlurmHooks;
import dev.ajr.server.metrics.PollMeter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class SchedulerPollerTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:10:00Z"));
  private final FakeScheduler slurm = new FakeScheduler(clock);
  private final JobTracker tracker =
      new JobTracker(new InMemoryRecoveryStore(), EventSink.NOOP, new JobLocks(), clock);
  private final List<List<ActiveAttempt>> told = new ArrayList<>();
  private final SchedulerPoller poller =
      new SchedulerPoller(
          slurm, tracker, told::add, SECOND, 0.25, new LatestJobs(), PollMeter.NONE);

  @Test
  void betweenRoundsOnlyTheJobsAjrActedOnAreLookedAtAndTheOthersStayActive() throws Exception {
    slurm.put(SchedulerJobBuilder.job(1).build());
    slurm.put(SchedulerJobBuilder.job(2).build());
    poller.poll();
    assertThat(told.get(0)).extracting(ActiveAttempt::jobId).containsExactlyInAnyOrder(1L, 2L);
    tracker.actedOn(1);
    slurm.put(SchedulerJobBuilder.job(1).restartCount(1).build());
    int listings = slurm.calls("jobs");

    poller.lookAtHotJobs();

    assertThat(slurm.calls("jobs")).isEqualTo(listings);
    assertThat(slurm.calls("job")).isEqualTo(1);
    assertThat(told.get(1))
        .extracting(ActiveAttempt::jobId, ActiveAttempt::attemptIndex)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(2L, 0), org.assertj.core.groups.Tuple.tuple(1L, 1));
  }

  @Test
  void withNothingHotNothingIsLookedAtOrTold() {
    poller.poll();
    int before = told.size();

    poller.lookAtHotJobs();

    assertThat(told).hasSize(before);
    assertThat(slurm.calls("job")).isZero();
  }

  @Test
  void beforeItStartsThePollerTakesNoWordOfJobs() {
    assertThat(poller.jobChanged(7)).isEqualTo(SlurmHooks.Outcome.NOT_TRACKING);
    assertThat(slurm.calls("job")).isZero();
  }

  @Test
  void aJobSlurmToldOfIsFollowedWithoutWaitingForTheNextListing() throws Exception {
    List<List<ActiveAttempt>> heard = new CopyOnWriteArrayList<>();
    SchedulerPoller hourly =
        new SchedulerPoller(
            slurm,
            tracker,
            heard::add,
            Duration.ofHours(1),
            0.25,
            new LatestJobs(),
            PollMeter.NONE);
    try {
      hourly.start();
      awaitUntil(() -> !heard.isEmpty());
      slurm.put(SchedulerJobBuilder.job(7).build());

      assertThat(hourly.jobChanged(7)).isEqualTo(SlurmHooks.Outcome.LOOKED_AT);

      awaitUntil(() -> heard.get(heard.size() - 1).stream().anyMatch(a -> a.jobId() == 7L));
      assertThat(slurm.calls("jobs")).isEqualTo(1);
      assertThat(slurm.calls("job")).isEqualTo(1);
    } finally {
      hourly.close();
    }
    assertThat(hourly.jobChanged(8)).isEqualTo(SlurmHooks.Outcome.NOT_TRACKING);
  }

  @Test
  void wordOfMoreJobsThanMayWaitIsDropped() throws Exception {
    CountDownLatch slow = new CountDownLatch(1);
    List<List<ActiveAttempt>> heard = new CopyOnWriteArrayList<>();
    SchedulerPoller small =
        new SchedulerPoller(
            slurm,
            tracker,
            active -> {
              heard.add(active);
              awaitQuietly(slow); // holds the tracker's thread so words wait
            },
            Duration.ofHours(1),
            0.25,
            new LatestJobs(),
            PollMeter.NONE,
            2);
    try {
      small.start();
      awaitUntil(() -> !heard.isEmpty());

      assertThat(small.jobChanged(1)).isEqualTo(SlurmHooks.Outcome.LOOKED_AT);
      assertThat(small.jobChanged(2)).isEqualTo(SlurmHooks.Outcome.LOOKED_AT);
      assertThat(small.jobChanged(3)).isEqualTo(SlurmHooks.Outcome.DROPPED);
    } finally {
      slow.countDown();
      small.close();
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void awaitUntil(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() - deadline).as("waited 10 s for the poller").isNegative();
      Thread.sleep(5);
    }
  }

  private static final Duration SECOND = Duration.ofSeconds(1);

  @Test
  void aQuickReadIsFollowedByTheIntervalAlone() {
    assertThat(SchedulerPoller.waitAfter(Duration.ofMillis(40), SECOND, 0.25)).isEqualTo(SECOND);
  }

  @Test
  void aLongReadStretchesTheWaitToKeepReadingWithinItsShare() {
    assertThat(SchedulerPoller.waitAfter(Duration.ofSeconds(2), SECOND, 0.25))
        .isEqualTo(Duration.ofSeconds(6));
    assertThat(SchedulerPoller.waitAfter(Duration.ofSeconds(2), SECOND, 0.5))
        .isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void aShareOfOneNeverWaitsLongerThanTheInterval() {
    assertThat(SchedulerPoller.waitAfter(Duration.ofSeconds(30), SECOND, 1.0)).isEqualTo(SECOND);
  }
}
