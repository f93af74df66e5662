package dev.ajr.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.core.tracking.ActiveAttempt;
import dev.ajr.server.ingest.LineRouter;
import dev.ajr.server.ingest.LokiLines;
import dev.ajr.server.ingest.MemoryIngestPositions;
import dev.ajr.server.ingest.StreamGate;
import dev.ajr.server.ingest.StreamLabels;
import dev.ajr.server.ingest.loki.FakeLoki;
import dev.ajr.server.ingest.loki.LokiSettings;
import dev.ajr.server.ingest.loki.LokiSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Job output read from Loki reaches the job's attempt; a restart continues where reading stopped.
 */
class LokiFollowingTest {

  private final List<String> routed = new CopyOnWriteArrayList<>();
  private final Clock clock = Clock.systemUTC();
  private final MemoryIngestPositions positions = new MemoryIngestPositions();

  @Test
  void linesOfAJobsFileAreReadOnceAcrossARestart() throws Exception {
    Instant start = clock.instant().minusSeconds(30);
    LineRouter router =
        new LineRouter(
            (jobId, attempt, node, line) -> routed.add(jobId + "/" + attempt + ": " + line.text()),
            jobId -> OptionalInt.empty(),
            (node, line) -> {},
            clock);
    router.update(
        List.of(
            new ActiveAttempt(
                7, 0, true, "/w", "/w/slurm-7.out", "/w/slurm-7.out", List.of("node1"), start)));
    LokiLines lines =
        new LokiLines(router, new StreamGate(positions), StreamLabels.DEFAULTS, clock);
    Map<String, String> labels = Map.of("appName", "slurm-app-log", "filename", "/w/slurm-7.out");
    try (FakeLoki loki = new FakeLoki()) {
      long t = start.plusSeconds(1).toEpochMilli() * 1_000_000;
      loki.add(labels, t, "iteration 1");
      loki.add(labels, t + 1_000, "RuntimeError: CUDA error: an illegal memory access");
      LokiSettings settings =
          LokiSettings.builder(loki.url(), "{appName=\"slurm-app-log\"}")
              .queryDelay(Duration.ofMillis(1))
              .pollInterval(Duration.ofMillis(20))
              .build();
      try (LokiSource first = LokiFollowing.create(settings, lines, positions, clock)) {
        first.start();
        await(() -> routed.size() == 2 && !positions.saved.isEmpty(), "both lines, a cursor");
      }
      assertThat(routed)
          .containsExactly(
              "7/0: iteration 1", "7/0: RuntimeError: CUDA error: an illegal memory access");

      long later = clock.instant().toEpochMilli() * 1_000_000; // stamped while ajr was away
      loki.add(labels, later, "resumed from checkpoint");
      try (LokiSource second = LokiFollowing.create(settings, lines, positions, clock)) {
        second.start();
        await(() -> routed.size() >= 3, "the line written while ajr was away");
      }
      assertThat(routed).hasSize(3).last().isEqualTo("7/0: resumed from checkpoint");
    }
  }

  private static void await(BooleanSupplier done, String what) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(20);
    while (!done.getAsBoolean()) {
      assertThat(Instant.now()).as("waiting for " + what).isBefore(deadline);
      Thread.sleep(10);
    }
  }
}
