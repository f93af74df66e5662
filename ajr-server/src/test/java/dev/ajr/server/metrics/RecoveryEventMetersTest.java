package dev.ajr.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.core.detect.Anomaly;
import dev.ajr.core.detect.AnomalyType;
import dev.ajr.core.detect.Cause;
import dev.ajr.core.detect.Evidence;
import dev.ajr.core.detect.RecoveryAction;
import dev.ajr.core.event.AjrEvent;
import dev.ajr.core.policy.ActionKind;
import dev.ajr.core.policy.Operation;
import dev.ajr.core.recovery.Action;
import dev.ajr.core.recovery.ActionState;
import dev.ajr.core.recovery.Decision;
import dev.ajr.core.recovery.DecisionState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The meters that follow from ajr's events, read in Prometheus' text as a scraper reads them. */
class RecoveryEventMetersTest {

  private static final Instant WRITTEN = Instant.parse("2026-03-01T10:00:00Z");

  private final ServerMetrics metrics = new ServerMetrics();
  private Optional<Decision> storedDecision = Optional.empty();
  private final RecoveryEventMeters events =
      metrics
          .meters()
          .recoveryEvents(
              new RecoveryEventMeters.Lookup() {
                @Override
                public Optional<Anomaly> anomaly(long jobId, long anomalyId) {
                  return Optional.empty();
                }

                @Override
                public Optional<Decision> decisionFor(long jobId, int attemptIndex) {
                  return storedDecision.filter(
                      d -> d.jobId() == jobId && d.attemptIndex() == attemptIndex);
                }
              });

  @AfterEach
  void close() {
    metrics.close();
  }

  /** A segfault of job 24's first attempt, written at WRITTEN and stored 1.5 s later. */
  private static Anomaly segfault() {
    return new Anomaly(
        41,
        24,
        0,
        AnomalyType.CRASH,
        Cause.CRASH_SEGFAULT,
        "crash.segfault",
        RecoveryAction.REQUEUE,
        "Rank0: (1) segmentation fault: artificial segfault",
        "/work/alice/slurm-24.out",
        12,
        "node1",
        WRITTEN,
        WRITTEN.plusMillis(1400),
        WRITTEN.plusMillis(1500),
        Evidence.JOB_OUTPUT,
        true);
  }

  private static Decision restart(DecisionState state) {
    return new Decision(
        5,
        24,
        0,
        Operation.RESTART,
        List.of("segfault", "attempt 1 of 3"),
        41,
        state,
        false,
        "",
        WRITTEN.plusSeconds(2),
        null);
  }

  private static Action action(ActionKind kind, ActionState state) {
    return new Action(
        9, 5, 0, kind, 24, List.of(), state, 1, "", WRITTEN.plusSeconds(2), WRITTEN.plusSeconds(3));
  }

  private String scrape() {
    return metrics.scrape();
  }

  @Test
  void theDetectionDelayHistogramCountsADetectionInItsBucket() {
    events.publish(new AjrEvent.AnomalyDetected(segfault()));

    String text = scrape();
    assertThat(text)
        .contains("ajr_detection_delay_seconds_count 1")
        .contains("ajr_detection_delay_seconds_sum 1.5")
        .contains("ajr_detection_delay_seconds_bucket{le=\"1.0\"} 0")
        .contains("ajr_detection_delay_seconds_bucket{le=\"2.0\"} 1")
        .contains("ajr_anomalies_total{cause=\"crash_segfault\",evidence=\"job_output\"} 1.0");
  }

  @Test
  void aLineWithoutAWriteTimeIsCountedButNotTimed() {
    Anomaly a = segfault();
    events.publish(
        new AjrEvent.AnomalyDetected(
            new Anomaly(
                a.id(),
                a.jobId(),
                a.attemptIndex(),
                a.type(),
                a.cause(),
                a.ruleId(),
                a.action(),
                a.line(),
                a.source(),
                a.lineNumber(),
                a.node(),
                null,
                a.lineReadAt(),
                a.detectedAt(),
                a.evidence(),
                true)));

    assertThat(scrape())
        .contains("ajr_anomalies_total{cause=\"crash_segfault\",evidence=\"job_output\"} 1.0")
        .contains("ajr_detection_delay_seconds_count 0");
  }

  @Test
  void decisionsAreCountedByTheirAnomalysCauseAndActionsByOutcome() {
    events.publish(new AjrEvent.AnomalyDetected(segfault()));
    events.publish(
        new AjrEvent.DecisionMade(
            restart(DecisionState.PLANNED),
            List.of(action(ActionKind.REQUEUE_HOLD, ActionState.PENDING))));
    events.publish(
        new AjrEvent.ActionUpdated(24, action(ActionKind.REQUEUE_HOLD, ActionState.ISSUED)));
    events.publish(
        new AjrEvent.ActionUpdated(24, action(ActionKind.REQUEUE_HOLD, ActionState.VERIFIED)));
    events.publish(new AjrEvent.ActionUpdated(24, action(ActionKind.RELEASE, ActionState.FAILED)));

    assertThat(scrape())
        .contains(
            "ajr_decisions_total{cause=\"crash_segfault\",mode=\"act\",operation=\"restart\"} 1.0")
        .contains("ajr_actions_total{kind=\"requeue_hold\",outcome=\"verified\"} 1.0")
        .contains("ajr_actions_total{kind=\"release\",outcome=\"failed\"} 1.0")
        .doesNotContain("outcome=\"issued\"");
  }

  @Test
  void anObservedDecisionCountsItsSkippedActions() {
    events.publish(new AjrEvent.AnomalyDetected(segfault()));
    events.publish(
        new AjrEvent.DecisionMade(
            restart(DecisionState.DONE),
            List.of(action(ActionKind.REQUEUE_HOLD, ActionState.SKIPPED))));

    assertThat(scrape())
        .contains(
            "ajr_decisions_total{cause=\"crash_segfault\",mode=\"observe\",operation=\"restart\"}"
                + " 1.0")
        .contains("ajr_actions_total{kind=\"requeue_hold\",outcome=\"skipped\"} 1.0");
  }

  @Test
  void theNextAttemptOfARestartedJobIsTimedFromTheFailureLine() {
    events.publish(new AjrEvent.AnomalyDetected(segfault()));
    storedDecision = Optional.of(restart(DecisionState.DONE));

    events.publish(new AjrEvent.AttemptStarted(24, 1, List.of("node2"), WRITTEN.plusSeconds(40)));
    events.publish(new AjrEvent.AttemptStarted(31, 1, List.of("node2"), WRITTEN)); // no decision

    assertThat(scrape())
        .contains("ajr_fault_to_next_attempt_seconds_count 1")
        .contains("ajr_fault_to_next_attempt_seconds_sum 40.0")
        .contains("ajr_fault_to_next_attempt_seconds_bucket{le=\"30.0\"} 0")
        .contains("ajr_fault_to_next_attempt_seconds_bucket{le=\"60.0\"} 1");
  }
}
