package dev.ajr.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ajr.server.app.AjrServer;
import dev.ajr.server.auth.Role;
import dev.ajr.server.config.AjrConfig;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The recovery-latency harness behind docs/benchmarks.md (run with scripts/bench-recovery.sh; not
 * part of the test suite). Each run submits a job that prints a segmentation fault line stamped
 * with the time it was written and, in its second attempt, the time it started; the harness
 * reports, per run, fault line written → attempt ended (ajr verified the requeue in Slurm) and
 * attempt ended → next attempt running (its script's first line). Timings are reported, never
 * asserted.
 */
class RecoveryLatencyBenchmark {

  private static final Pattern FAULT = Pattern.compile("^(\\d+\\.\\d+) Rank0: segmentation fault");
  private static final Pattern STARTED = Pattern.compile("attempt 1 started at (\\d+\\.\\d+)");

  @Test
  void measureRecoveryLatency() throws Exception {
    SlurmCluster.requireRunning();
    int runs = Integer.getInteger("ajr.bench.runs", 5);
    Path root = Files.createTempDirectory("ajr-bench-");
    AjrConfig config = SlurmCluster.serverConfig(root, Map.of("slurm.poll-interval", "1s"));
    String password = UUID.randomUUID().toString();
    AjrServer server = new AjrServer(config);
    server.users().putUser("bench", password, Role.ADMIN);
    server.start();
    List<long[]> results = new ArrayList<>();
    try {
      ApiClient api = new ApiClient(server.url(), "bench", password);
      for (int run = 0; run < runs; run++) {
        Path dir = Files.createDirectories(root.resolve("run" + run));
        Files.writeString(
            dir.resolve("job.sh"),
            """
            #!/bin/bash
            #SBATCH --comment='{"APS": {"auto_resume_mode": "requeue", "max_requeue_times": 1}}'
            if [ "${SLURM_RESTART_COUNT:-0}" = 0 ]; then
              sleep 3
              echo "$(date +%s.%N) Rank0: segmentation fault: benchmark"
              sleep 120
              exit 1
            fi
            echo "attempt 1 started at $(date +%s.%N)"
            """);
        long id = SlurmCluster.sbatch(dir, "-J", "ajr-bench", "-p", "debug", "job.sh");
        JsonNode job =
            api.await(
                "/api/v1/jobs/" + id,
                Duration.ofMinutes(3),
                "benchmark job " + id + " to complete",
                j -> "COMPLETED".equals(j.at("/job/status").asText()));
        Instant written = stamp(FAULT, job.at("/anomalies/0/line").asText());
        Instant ended = Instant.parse(job.at("/decisions/0/actions/0/finishedAt").asText());
        Instant running = stamp(STARTED, Files.readString(dir.resolve("slurm-" + id + ".out")));
        results.add(
            new long[] {
              Duration.between(written, ended).toMillis(),
              Duration.between(ended, running).toMillis()
            });
      }
    } finally {
      server.close();
    }
    StringBuilder table =
        new StringBuilder(
            "| run | fault line written → attempt ended (ms) |"
                + " attempt ended → next attempt running (ms) |\n|---|---|---|\n");
    for (int i = 0; i < results.size(); i++) {
      table.append(
          String.format(
              Locale.ROOT, "| %d | %d | %d |%n", i + 1, results.get(i)[0], results.get(i)[1]));
    }
    table.append(
        String.format(
            Locale.ROOT, "| median | %d | %d |%n", median(results, 0), median(results, 1)));
    System.out.println(table);
    Path report = Path.of("target", "recovery-latency.md");
    Files.writeString(report, table.toString());
    assertThat(results).hasSize(runs);
  }

  private static Instant stamp(Pattern pattern, String text) {
    Matcher m = pattern.matcher(text);
    if (!m.find()) {
      throw new AssertionError("no time stamp in: " + text);
    }
    BigDecimal seconds = new BigDecimal(m.group(1));
    return Instant.ofEpochSecond(
        seconds.longValue(), seconds.remainder(BigDecimal.ONE).movePointRight(9).longValue());
  }

  private static long median(List<long[]> results, int column) {
    long[] values = results.stream().mapToLong(r -> r[column]).sorted().toArray();
    return values[values.length / 2];
  }
}
