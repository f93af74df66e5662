package dev.ajr.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ajr.core.scheduler.Scheduler;
import dev.ajr.core.scheduler.SchedulerJob;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The installation guide's verification job: submitted byte for byte, and the exact recovery the
 * guide shows checked against ajr's API and Slurm.
 */
final class GuideVerification {

  static final String SEGFAULT = "Rank0: (1) segmentation fault: artificial segfault";

  private GuideVerification() {}

  /** Writes the guide's script into {@code dir} and submits it from there; returns the job id. */
  static long submit(Path dir) throws Exception {
    try (InputStream in =
        GuideVerification.class.getResourceAsStream(
            "/dev/ajr/server/demo/bcm_sbatch_test_requeue.sh")) {
      Files.write(dir.resolve("bcm_sbatch_test_requeue.sh"), in.readAllBytes());
    }
    return SlurmCluster.sbatch(
        dir, "-J", "ajr-verification-requeue-test", "-p", "debug", "bcm_sbatch_test_requeue.sh");
  }

  /**
   * The guide's five steps: attempt 0 killed for its segfault, the job requeued held (attempt 1),
   * released and run, attempt 1 killed for its segfault, and no further requeue at the limit.
   */
  static void assertRecovered(JsonNode job, Scheduler slurm, Path dir, long jobId)
      throws Exception {
    JsonNode attempts = job.get("attempts");
    JsonNode anomalies = job.get("anomalies");
    JsonNode decisions = job.get("decisions");
    assertThat(attempts).hasSize(2);
    assertThat(decisions).hasSize(2);

    // 1. The first attempt is killed because of a CRASH anomaly (the segfault line).
    assertThat(attempts.get(0).get("state").asText()).isEqualTo("KILLED");
    assertThat(attempts.get(0).get("endReason").asText()).contains("CRASH", SEGFAULT);
    JsonNode firstAnomaly = anomalyOf(anomalies, 0);
    assertThat(firstAnomaly.get("type").asText()).isEqualTo("CRASH");
    assertThat(firstAnomaly.get("cause").asText()).isEqualTo("CRASH_SEGFAULT");
    assertThat(firstAnomaly.get("line").asText()).isEqualTo(SEGFAULT);
    JsonNode restart = decisions.get(0);
    assertThat(restart.get("attempt").asInt()).isEqualTo(0);
    assertThat(restart.get("operation").asText()).isEqualTo("RESTART");
    assertThat(restart.get("state").asText()).isEqualTo("DONE");

    // 2. The same job id is requeued held, creating attempt 1.
    JsonNode actions = restart.get("actions");
    assertThat(kinds(actions)).containsExactly("REQUEUE_HOLD", "START_NOW", "RELEASE");
    for (JsonNode action : actions) {
      assertThat(action.get("state").asText()).as(action.toString()).isEqualTo("VERIFIED");
      assertThat(action.get("targetJobId").asLong()).isEqualTo(jobId);
    }
    assertThat(actions.get(0).get("outcome").asText()).contains("held", "restart count 1");

    // 3. Attempt 1 is released and runs.
    assertThat(actions.get(2).get("outcome").asText()).doesNotContain("held");
    assertThat(attempts.get(1).get("startTime").isNull()).isFalse();
    assertThat(attempts.get(1).get("nodes")).isNotEmpty();

    // 4. Attempt 1 is killed because of a CRASH anomaly.
    assertThat(attempts.get(1).get("state").asText()).isEqualTo("KILLED");
    assertThat(anomalyOf(anomalies, 1).get("line").asText()).isEqualTo(SEGFAULT);

    // 5. No further requeue: the limit is reached, and the job says so.
    JsonNode stop = decisions.get(1);
    assertThat(stop.get("attempt").asInt()).isEqualTo(1);
    assertThat(stop.get("operation").asText()).isEqualTo("STOP");
    assertThat(stop.get("reasons").toString()).contains("limit of 1 is reached");
    assertThat(kinds(stop.get("actions"))).containsExactly("CANCEL");
    assertThat(stop.at("/actions/0/state").asText()).isEqualTo("VERIFIED");
    assertThat(job.at("/job/statusReason").asText()).contains("requeue limit of 1 is reached");

    // What Slurm itself shows: requeued once, then ended.
    SchedulerJob inSlurm = slurm.job(jobId).orElseThrow();
    assertThat(inSlurm.restartCount()).isEqualTo(1);
    assertThat(inSlurm.state()).isEqualTo("CANCELLED");

    // Each attempt wrote its own step log (%x_%j_<time>.log).
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(
              files
                  .map(p -> p.getFileName().toString())
                  .filter(n -> n.startsWith("ajr-verification-requeue-test_" + jobId + "_"))
                  .filter(n -> n.endsWith(".log")))
          .hasSize(2);
    }
  }

  static JsonNode anomalyOf(JsonNode anomalies, int attempt) {
    for (JsonNode a : anomalies) {
      if (a.get("attempt").asInt() == attempt) {
        return a;
      }
    }
    throw new AssertionError("no anomaly for attempt " + attempt + " in " + anomalies);
  }

  static List<String> kinds(JsonNode actions) {
    List<String> kinds = new ArrayList<>();
    actions.forEach(a -> kinds.add(a.get("kind").asText()));
    return kinds;
  }

  /** Prints the recovery timings of the verification job (see docs/benchmarks.md). */
  static void report(JsonNode job) {
    JsonNode anomaly = anomalyOf(job.get("anomalies"), 0);
    JsonNode actions = job.at("/decisions/0/actions");
    Instant written = Instant.parse(anomaly.get("lineWrittenAt").asText());
    Instant detected = Instant.parse(anomaly.get("detectedAt").asText());
    Instant ended = Instant.parse(actions.get(0).get("finishedAt").asText());
    Instant released = Instant.parse(actions.get(2).get("finishedAt").asText());
    System.out.printf(
        "recovery timings of job %d: line written -> detected %d ms, -> attempt 0 ended %d ms,"
            + " attempt ended -> attempt 1 released %d ms; attempt 1 started at %s%n",
        job.at("/job/jobId").asLong(),
        Duration.between(written, detected).toMillis(),
        Duration.between(written, ended).toMillis(),
        Duration.between(ended, released).toMillis(),
        job.at("/attempts/1/startTime").asText());
  }
}
