package dev.ajr.server.app;

import dev.ajr.core.detect.AnomalyType;
import dev.ajr.core.detect.Cause;
import dev.ajr.core.detect.Detection;
import dev.ajr.core.detect.Evidence;
import dev.ajr.core.detect.LogLine;
import dev.ajr.core.detect.RecoveryAction;
import dev.ajr.core.progress.ProgressMonitor;
import dev.ajr.core.recovery.AnomalyHandler;
import dev.ajr.core.tracking.ActiveAttempt;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Turns the progress monitor's verdicts into anomalies: a hung attempt is a HANG anomaly (action
 * REQUEUE: the requeue ends the hung run), a slowdown a STRAGGLER anomaly that is recorded for
 * people and decides nothing. The anomaly's line is ajr's own sentence, with the source {@code
 * ajr:progress-monitor}.
 */
final class ProgressSignals {

  static final String SOURCE = "ajr:progress-monitor";

  private final AnomalyHandler anomalies;
  private final Clock clock;

  ProgressSignals(AnomalyHandler anomalies, Clock clock) {
    this.anomalies = anomalies;
    this.clock = clock;
  }

  void report(List<ProgressMonitor.Verdict> verdicts, List<ActiveAttempt> active) {
    Instant now = clock.instant();
    for (ProgressMonitor.Verdict v : verdicts) {
      boolean hang = v.type() == AnomalyType.HANG;
      Detection detection =
          new Detection(
              hang ? "hang.no-progress" : "straggler.slowdown",
              v.type(),
              hang ? Cause.HANG : Cause.STRAGGLER,
              hang ? RecoveryAction.REQUEUE : RecoveryAction.NONE,
              null,
              false,
              true); // a hang or straggler of the job's own run is charged to its budget
      String node =
          active.stream()
              .filter(a -> a.jobId() == v.jobId() && a.nodes().size() == 1)
              .map(a -> a.nodes().get(0))
              .findFirst()
              .orElse("");
      LogLine line =
          new LogLine(v.text(), SOURCE, now.toEpochMilli(), now, now, false, Evidence.MONITOR);
      anomalies.onDetection(v.jobId(), v.attemptIndex(), node, line, detection);
    }
  }
}
