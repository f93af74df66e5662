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
import dev.ajr.server.metrics.PollMeter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
