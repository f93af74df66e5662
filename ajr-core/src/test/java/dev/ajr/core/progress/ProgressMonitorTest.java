package dev.ajr.core.progress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.core.detect.AnomalyType;
import dev.ajr.core.tracking.ActiveAttempt;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProgressMonitorTest {

  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  private final ProgressMonitor monitor =
      new ProgressMonitor(
          new HangSettings(Duration.ofMinutes(10), 5, Duration.ofMinutes(30)),
          StragglerSettings.DEFAULTS,
          jobId -> jobId == 7 ? Optional.of(Duration.ofMinutes(2)) : Optional.empty());

  private static ActiveAttempt running(long jobId, int attempt) {
    return new ActiveAttempt(jobId, attempt, true, "/w", "", "", List.of("node1"), START);
  }

  @Test
  void aJobWhoseIterationsStopIsReportedHung() {
    monitor.update(List.of(running(5, 0)));
    for (int i = 1; i <= 20; i++) {
      monitor.onLine(5, 0, "step " + i + " loss 1.0", START.plusSeconds(i * 10L));
    }

    assertThat(monitor.check(START.plusSeconds(200 + 599))).isEmpty();
    assertThat(monitor.check(START.plusSeconds(200 + 600)))
        .singleElement()
        .satisfies(v -> {
          assertThat(v.type()).isEqualTo(AnomalyType.HANG);
          assertThat(v.jobId()).isEqualTo(5);
        });
    assertThat(monitor.snapshot(5))
        .hasValueSatisfying(s -> assertThat(s.lastIteration()).isEqualTo(20));
  }

  @Test
  void theJobsHangTimeoutIsUsed() {
    monitor.update(List.of(running(7, 0)));

    assertThat(monitor.check(START.plusSeconds(119))).isEmpty();
    assertThat(monitor.check(START.plusSeconds(120))).hasSize(1);
  }

  @Test
  void linesOfAnotherAttemptAreIgnoredAndEndedAttemptsForgotten() {
    monitor.update(List.of(running(5, 1)));
    monitor.onLine(5, 0, "step 1 loss 1.0", START);
    assertThat(monitor.snapshot(5)).hasValueSatisfying(s -> assertThat(s.progressLines()).isZero());

    monitor.update(List.of());
    assertThat(monitor.snapshot(5)).isEmpty();
  }

  @Test
  void aSlowRankIsReportedAsAStraggler() {
    monitor.update(List.of(running(5, 0)));
    Instant t = START;
    for (int i = 1; i <= 40; i++) {
      double seconds = i > 30 ? 3.0 : 1.0;
      monitor.onLine(
          5,
          0,
          String.format(
              "[rank2]: iteration %d/ 1000 | elapsed time per iteration (ms): %.1f |",
              i, seconds * 1000),
          t);
      t = t.plusMillis((long) (seconds * 1000));
    }

    assertThat(monitor.check(t))
        .singleElement()
        .satisfies(v -> {
          assertThat(v.type()).isEqualTo(AnomalyType.STRAGGLER);
          assertThat(v.rank()).isEqualTo(2);
          assertThat(v.text()).contains("rank 2");
        });
  }

  @Test
  void aCheckpointLineOfAWatchedAttemptIsReturnedForTheRecord() {
    monitor.update(List.of(running(5, 0)));

    assertThat(monitor.onLine(5, 0, "Saving model checkpoint to /out/checkpoint-500", START))
        .hasValueSatisfying(
            e -> assertThat(e.kind()).isEqualTo(ProgressEvent.Kind.CHECKPOINT_SAVED));
    assertThat(monitor.onLine(6, 0, "Saving model checkpoint to /out/checkpoint-500", START))
        .as("an attempt not watched")
        .isEmpty();
    assertThat(monitor.snapshot(5))
        .hasValueSatisfying(s -> assertThat(s.lastCheckpointAt()).isEqualTo(START));
  }

  @Test
  void progressAnotherReplicaSawKeepsTheAttemptFromBeingCalledHung() {
    monitor.update(List.of(running(5, 0)));
    for (int i = 1; i <= 20; i++) {
      monitor.onLine(5, 0, "step " + i + " loss 1.0", START.plusSeconds(i * 10L));
    }
    // The job's lines now go to another replica; its progress marks arrive every 10 s.
    for (int t = 210; t <= 1200; t += 10) {
      monitor.progressSeenElsewhere(5, 0, START.plusSeconds(t));
      assertThat(monitor.check(START.plusSeconds(t))).isEmpty();
    }
    monitor.progressSeenElsewhere(5, 0, START.plusSeconds(100)); // an old mark changes nothing
    assertThat(monitor.check(START.plusSeconds(1200 + 600))).hasSize(1);
  }
}
