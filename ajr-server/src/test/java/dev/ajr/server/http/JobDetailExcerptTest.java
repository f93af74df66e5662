package dev.ajr.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.ajr.core.detect.Anomaly;
import dev.ajr.core.detect.AnomalyType;
import dev.ajr.core.detect.Cause;
import dev.ajr.core.detect.Evidence;
import dev.ajr.core.detect.ExcerptLine;
import dev.ajr.core.detect.RecoveryAction;
import dev.ajr.core.job.DirectiveResult;
import dev.ajr.core.job.Job;
import dev.ajr.core.job.JobStatus;
import dev.ajr.server.store.Database;
import dev.ajr.server.store.SqlRecoveryStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each anomaly of {@code GET /api/v1/jobs/{id}} carries its log excerpt. */
class JobDetailExcerptTest {

  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private final ObjectMapper json =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  @TempDir Path dir;

  private static Anomaly anomaly(long lineNumber) {
    return new Anomaly(
        0,
        10,
        0,
        AnomalyType.CRASH,
        Cause.CRASH_SEGFAULT,
        "crash.segfault",
        RecoveryAction.REQUEUE,
        "Rank0: (1) segmentation fault",
        "/home/alice/slurm-10.out",
        lineNumber,
        "node07",
        T0,
        T0,
        T0,
        Evidence.JOB_OUTPUT);
  }

  @Test
  void everyAnomalyHasItsExcerptAndAnOldOneAnEmptyList() throws Exception {
    try (Database db = Database.openSqlite(dir)) {
      SqlRecoveryStore store = new SqlRecoveryStore(db, Clock.fixed(T0, ZoneOffset.UTC));
      Job job =
          new Job(
              10,
              "train",
              "alice",
              "gpu",
              "/home/alice",
              "/home/alice/slurm-10.out",
              "",
              "",
              DirectiveResult.ABSENT,
              JobStatus.RUNNING,
              "",
              T0,
              T0,
              0);
      store.saveJob(job);
      long old = store.addAnomaly(anomaly(5)).orElseThrow().id();
      long id = store.addAnomaly(anomaly(42)).orElseThrow().id();
      store.appendExcerpt(
          id,
          List.of(
              new ExcerptLine(41, "<b>step</b> 41", false),
              new ExcerptLine(42, "Rank0: (1) segmentation fault", true),
              new ExcerptLine(43, "srun: error: node07: task 0", false)));

      JsonNode detail = json.valueToTree(JobViews.detail(job, store));

      JsonNode anomalies = detail.get("anomalies");
      assertThat(anomalies.get(0).get("id").asLong()).isEqualTo(old);
      assertThat(anomalies.get(0).get("excerpt").isArray()).isTrue();
      assertThat(anomalies.get(0).get("excerpt")).isEmpty();
      assertThat(anomalies.get(1).get("excerpt").toString())
          .isEqualTo(
              "[{\"lineNumber\":41,\"text\":\"<b>step</b> 41\",\"root\":false},"
                  + "{\"lineNumber\":42,\"text\":\"Rank0: (1) segmentation fault\",\"root\":true},"
                  + "{\"lineNumber\":43,\"text\":\"srun: error: node07: task 0\",\"root\":false}]");
    }
  }
}
