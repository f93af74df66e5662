package dev.ajr.core.recovery;

import static dev.ajr.core.testing.SchedulerJobBuilder.job;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.core.policy.ActionKind;
import dev.ajr.core.scheduler.SchedulerJob;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ActionChecksTest {

  private static final long JOB = 42;
  private static final Instant NOW = Instant.parse("2026-01-01T01:00:00Z");

  private static Action action(ActionKind kind, String... nodes) {
    return new Action(1, 1, 0, kind, JOB, List.of(nodes), ActionState.PENDING, 0, "", null, null);
  }

  private static SchedulerJob requeuedHeld() {
    return job(JOB)
        .state("PENDING")
        .reason("JobHeldUser")
        .held(true)
        .restartCount(1)
        .nodes()
        .startTime(null)
        .beginTime(NOW.plusSeconds(121))
        .build();
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "requeue not yet done: restart count unchanged",
            ActionKind.REQUEUE_HOLD,
            Optional.of(job(JOB).build()),
            false),
        Arguments.of(
            "requeue done: restart count moved, pending",
            ActionKind.REQUEUE_HOLD,
            Optional.of(requeuedHeld()),
            true),
        Arguments.of(
            "requeue still completing the old run",
            ActionKind.REQUEUE_HOLD,
            Optional.of(job(JOB).state("COMPLETING").restartCount(1).held(true).build()),
            false),
        Arguments.of(
            "requeue of a forgotten job", ActionKind.REQUEUE_HOLD, Optional.empty(), false),
        Arguments.of(
            "start now: begin time 121 s ahead",
            ActionKind.START_NOW,
            Optional.of(requeuedHeld()),
            false),
        Arguments.of(
            "start now: begin time now",
            ActionKind.START_NOW,
            Optional.of(
                job(JOB).state("PENDING").held(true).restartCount(1).beginTime(NOW).build()),
            true),
        Arguments.of(
            "start now: begin time within a second",
            ActionKind.START_NOW,
            Optional.of(job(JOB).state("PENDING").beginTime(NOW.plusMillis(900)).build()),
            true),
        Arguments.of(
            "start now: no begin time",
            ActionKind.START_NOW,
            Optional.of(job(JOB).state("PENDING").beginTime(null).build()),
            true),
        Arguments.of(
            "start now: already running",
            ActionKind.START_NOW,
            Optional.of(job(JOB).restartCount(1).beginTime(NOW.plusSeconds(500)).build()),
            true),
        Arguments.of("release: still held", ActionKind.RELEASE, Optional.of(requeuedHeld()), false),
        Arguments.of(
            "release: no longer held",
            ActionKind.RELEASE,
            Optional.of(job(JOB).state("PENDING").restartCount(1).build()),
            true),
        Arguments.of("release of a forgotten job", ActionKind.RELEASE, Optional.empty(), false),
        Arguments.of(
            "cancel: cancelled",
            ActionKind.CANCEL,
            Optional.of(job(JOB).state("CANCELLED").build()),
            true),
        Arguments.of(
            "cancel: failed on its own",
            ActionKind.CANCEL,
            Optional.of(job(JOB).state("FAILED").build()),
            true),
        Arguments.of(
            "cancel: still running", ActionKind.CANCEL, Optional.of(job(JOB).build()), false),
        Arguments.of(
            "cancel: still completing",
            ActionKind.CANCEL,
            Optional.of(job(JOB).state("COMPLETING").build()),
            false),
        Arguments.of(
            "cancel: job forgotten by the scheduler", ActionKind.CANCEL, Optional.empty(), true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void satisfiedOnlyWhenSchedulerShowsTheEffect(
      String name, ActionKind kind, Optional<SchedulerJob> job, boolean expected) {
    assertThat(ActionChecks.satisfied(action(kind), 0, job, NOW)).isEqualTo(expected);
  }

  @Test
  void excludeNodesSatisfiedWhenAllNodesExcluded() {
    Action exclude = action(ActionKind.EXCLUDE_NODES, "node1", "node2");

    assertThat(
            ActionChecks.satisfied(
                exclude, 0, Optional.of(job(JOB).excludedNodes("node1").build()), NOW))
        .isFalse();
    assertThat(
            ActionChecks.satisfied(
                exclude,
                0,
                Optional.of(job(JOB).excludedNodes("node2", "node1", "node3").build()),
                NOW))
        .isTrue();
  }

  @Test
  void refusesToRequeueJobSomeoneCancelled() {
    SchedulerJob cancelled = job(JOB).state("CANCELLED").exitCode(143).build();

    assertThat(ActionChecks.refusal(action(ActionKind.REQUEUE_HOLD), 0, cancelled))
        .hasValueSatisfying(text -> assertThat(text).contains("42").contains("CANCELLED"));
  }

  @Test
  void refusesToRequeueCompletedJob() {
    SchedulerJob completed = job(JOB).state("COMPLETED").exitCode(0).build();

    assertThat(ActionChecks.refusal(action(ActionKind.REQUEUE_HOLD), 0, completed)).isPresent();
  }

  @Test
  void allowsRequeueOfFailedOrRunningJob() {
    assertThat(ActionChecks.refusal(action(ActionKind.REQUEUE_HOLD), 0, job(JOB).build()))
        .isEmpty();
    assertThat(
            ActionChecks.refusal(
                action(ActionKind.REQUEUE_HOLD), 0, job(JOB).state("FAILED").build()))
        .isEmpty();
  }

  @Test
  void doesNotRefuseWhenCancelHappenedInALaterAttempt() {
    SchedulerJob cancelledLater = job(JOB).state("CANCELLED").restartCount(1).build();

    assertThat(ActionChecks.refusal(action(ActionKind.REQUEUE_HOLD), 0, cancelledLater)).isEmpty();
  }

  @Test
  void neverRefusesOtherActionsOnCancelledJob() {
    SchedulerJob cancelled = job(JOB).state("CANCELLED").build();

    for (ActionKind kind : List.of(ActionKind.CANCEL, ActionKind.RELEASE, ActionKind.START_NOW)) {
      assertThat(ActionChecks.refusal(action(kind), 0, cancelled)).as(kind.name()).isEmpty();
    }
  }

  @Test
  void describesHeldJobForTheOutcome() {
    assertThat(ActionChecks.describe(Optional.of(requeuedHeld())))
        .isEqualTo("job 42 PENDING (JobHeldUser), held, restart count 1");
    assertThat(ActionChecks.describe(Optional.empty())).contains("no longer knows");
  }
}
