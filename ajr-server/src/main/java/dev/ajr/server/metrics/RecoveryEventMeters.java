package dev.ajr.server.metrics;

import dev.ajr.core.detect.Anomaly;
import dev.ajr.core.event.AjrEvent;
import dev.ajr.core.event.EventSink;
import dev.ajr.core.policy.Operation;
import dev.ajr.core.recovery.Action;
import dev.ajr.core.recovery.ActionState;
import dev.ajr.core.recovery.Decision;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Meters that follow from what ajr stored, read from its events after the commit: anomalies by
 * cause, the detection delay (the line written to the anomaly stored, as the KPI {@code
 * detect_ms}), decisions by cause and operation, finished actions by kind and outcome, and the time
 * from a restarted attempt's failure line to the start of the next attempt.
 *
 * <p>A decision's cause is its anomaly's; the anomalies published last are remembered for that, an
 * older one is looked up. Thread-safe (events arrive on many threads).
 */
public final class RecoveryEventMeters implements EventSink {

  /** What the meters read back from the store. */
  public interface Lookup {
    /** The anomaly of the job with this id. */
    Optional<Anomaly> anomaly(long jobId, long anomalyId);

    /** The decision about the job's attempt. */
    Optional<Decision> decisionFor(long jobId, int attemptIndex);
  }

  private static final int REMEMBERED = 4096;

  private final AjrMeters meters;
  private final Lookup lookup;
  private final Timer detectionDelay;
  private final Timer faultToNextAttempt;
  private final Map<Long, Anomaly> recent =
      new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Anomaly> eldest) {
          return size() > REMEMBERED;
        }
      };

  RecoveryEventMeters(AjrMeters meters, Lookup lookup) {
    this.meters = meters;
    this.lookup = lookup;
    this.detectionDelay =
        meters.seconds(AjrMeters.DETECTION_DELAY, "from a failure line written to its anomaly");
    this.faultToNextAttempt =
        meters.restartSeconds(
            AjrMeters.FAULT_TO_NEXT_ATTEMPT,
            "from the failure line of a restarted attempt to the start of the next attempt");
  }

  @Override
  public void publish(AjrEvent event) {
    switch (event) {
      case AjrEvent.AnomalyDetected d -> anomaly(d.anomaly());
      case AjrEvent.DecisionMade d -> decision(d.decision(), d.actions());
      case AjrEvent.ActionUpdated u -> action(u.action());
      case AjrEvent.AttemptStarted s -> attemptStarted(s.jobId(), s.index(), s.at());
      default -> {}
    }
  }

  private void anomaly(Anomaly a) {
    synchronized (recent) {
      recent.put(a.id(), a);
    }
    meters
        .counter(
            AjrMeters.ANOMALIES,
            "anomalies stored",
            "cause",
            label(a.cause()),
            "evidence",
            label(a.evidence()))
        .increment();
    if (a.lineWrittenAt() != null && a.detectedAt() != null) {
      detectionDelay.record(positive(Duration.between(a.lineWrittenAt(), a.detectedAt())));
    }
  }

  private void decision(Decision d, java.util.List<Action> actions) {
    boolean observed = actions.stream().anyMatch(a -> a.state() == ActionState.SKIPPED);
    String cause = anomalyOf(d).map(a -> label(a.cause())).orElse("unknown");
    meters
        .counter(
            AjrMeters.DECISIONS,
            "decisions made",
            "cause",
            cause,
            "operation",
            label(d.operation()),
            "mode",
            observed ? "observe" : "act")
        .increment();
    for (Action a : actions) {
      if (a.state() == ActionState.SKIPPED) {
        action(a);
      }
    }
  }

  private void action(Action a) {
    ActionState s = a.state();
    if (s == ActionState.VERIFIED || s == ActionState.FAILED || s == ActionState.SKIPPED) {
      meters
          .counter(
              AjrMeters.ACTIONS,
              "Slurm actions finished",
              "kind",
              label(a.kind()),
              "outcome",
              label(s))
          .increment();
    }
  }

  private void attemptStarted(long jobId, int index, Instant at) {
    if (index == 0 || at == null) {
      return;
    }
    Optional<Decision> restart =
        lookup.decisionFor(jobId, index - 1).filter(d -> d.operation() == Operation.RESTART);
    restart
        .flatMap(this::anomalyOf)
        .map(a -> a.lineWrittenAt() != null ? a.lineWrittenAt() : a.detectedAt())
        .ifPresent(fault -> faultToNextAttempt.record(positive(Duration.between(fault, at))));
  }

  private Optional<Anomaly> anomalyOf(Decision d) {
    Anomaly known;
    synchronized (recent) {
      known = recent.get(d.anomalyId());
    }
    return known != null ? Optional.of(known) : lookup.anomaly(d.jobId(), d.anomalyId());
  }

  private static Duration positive(Duration d) {
    return d.isNegative() ? Duration.ZERO : d;
  }

  private static String label(Enum<?> value) {
    return value == null ? "unknown" : value.name().toLowerCase(Locale.ROOT);
  }
}
