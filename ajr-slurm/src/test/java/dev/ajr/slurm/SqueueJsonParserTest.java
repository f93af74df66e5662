package dev.ajr.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ajr.core.scheduler.SchedulerJob;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Against real {@code squeue --json --states=all} output of Slurm 22.05.8 (20 jobs). */
class SqueueJsonParserTest {

  static final String REQUEUE_COMMENT =
      "{\"APS\": {\"auto_resume_mode\": \"requeue\", \"max_requeue_times\": 1}}";

  static String fixture() throws IOException {
    try (InputStream in =
        SqueueJsonParserTest.class.getResourceAsStream("/squeue-json/slurm-22.05.json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static Map<Long, SchedulerJob> jobs;

  @BeforeAll
  static void parseFixture() throws IOException {
    List<SchedulerJob> parsed = new SqueueJsonParser().parse(fixture());
    jobs = parsed.stream().collect(Collectors.toMap(SchedulerJob::jobId, Function.identity()));
    assertThat(parsed).hasSize(20);
  }

  @Test
  void readsRunningJob() {
    SchedulerJob j = jobs.get(19L);

    assertThat(j.name()).isEqualTo("ajr-sample-running");
    assertThat(j.user()).isEqualTo("root");
    assertThat(j.partition()).isEqualTo("debug");
    assertThat(j.state()).isEqualTo("RUNNING");
    assertThat(j.isRunning()).isTrue();
    assertThat(j.held()).isFalse();
    assertThat(j.restartCount()).isZero();
    assertThat(j.nodes()).containsExactly("node1");
    assertThat(j.submitTime()).isEqualTo(Instant.ofEpochSecond(1795782982L));
    assertThat(j.startTime()).isEqualTo(Instant.ofEpochSecond(1795782982L));
    assertThat(j.endTime()).as("a running job's end_time is only its time limit").isNull();
    assertThat(j.comment()).isEqualTo(REQUEUE_COMMENT);
    assertThat(j.workDir()).isEqualTo("/tmp/ajr-experiments");
    assertThat(j.stdOut()).as("empty for Slurm's default slurm-%j.out").isEmpty();
    assertThat(j.batch()).isTrue();
  }

  @Test
  void readsHeldPendingJob() {
    SchedulerJob j = jobs.get(20L);

    assertThat(j.state()).isEqualTo("PENDING");
    assertThat(j.stateReason()).isEqualTo("JobHeldUser");
    assertThat(j.held()).isTrue();
    assertThat(j.isPending()).isTrue();
    assertThat(j.nodes()).isEmpty();
    assertThat(j.startTime()).isNull();
    assertThat(j.endTime()).isNull();
    assertThat(j.beginTime()).as("eligible_time 0 means unset").isNull();
  }

  @Test
  void readsCompletedJobRequeuedOnceAwayFromExcludedNodes() {
    SchedulerJob j = jobs.get(11L);

    assertThat(j.state()).isEqualTo("COMPLETED");
    assertThat(j.isFinished()).isTrue();
    assertThat(j.restartCount()).isEqualTo(1);
    assertThat(j.exitCode()).isZero();
    assertThat(j.nodes()).containsExactly("node4");
    assertThat(j.excludedNodes()).containsExactly("node1", "node2", "node3");
    assertThat(j.endTime()).isEqualTo(Instant.ofEpochSecond(1795782944L));
  }

  @Test
  void readsRequeuedJobCancelledInItsSecondAttempt() {
    SchedulerJob j = jobs.get(5L);

    assertThat(j.state()).isEqualTo("CANCELLED");
    assertThat(j.restartCount()).isEqualTo(1);
    assertThat(j.nodes()).containsExactly("node2");
    assertThat(j.exitCode()).isEqualTo(143);
    assertThat(j.comment()).isEqualTo(REQUEUE_COMMENT);
    assertThat(j.endTime()).isEqualTo(Instant.ofEpochSecond(1795782951L));
  }

  @Test
  void keepsUnexpandedOutputPatterns() {
    assertThat(jobs.get(3L).stdOut()).isEqualTo("/tmp/ajr-experiments/tl-%x-%j.out");
    assertThat(jobs.get(3L).stdErr()).isEqualTo("/tmp/ajr-experiments/tl-%j.err");
    assertThat(jobs.get(1L).stdOut()).isEqualTo("/tmp/ajr-experiments/fin-%j.out");
    assertThat(jobs.get(1L).stdErr()).isEmpty();
  }

  @Test
  void readsHoldOfRequeueHeldJobAndItsBeginTime() {
    SchedulerJob j = jobs.get(4L);

    assertThat(j.held()).isTrue();
    assertThat(j.restartCount()).isEqualTo(2);
    assertThat(j.beginTime()).isEqualTo(Instant.ofEpochSecond(1795783041L));
  }

  @Test
  void readsSingletonDependency() {
    assertThat(jobs.get(17L).dependency()).isEqualTo("singleton(unfulfilled)");
    assertThat(jobs.get(17L).stateReason()).isEqualTo("Dependency");
    assertThat(jobs.get(16L).dependency()).isEmpty();
  }

  @ParameterizedTest(name = "job {0}: wait status {1} -> exit code {2}")
  @CsvSource({
    "1,  768, 3", // exit 3
    "10, 512, 2", // exit 2
    "2,  15,  143", // SIGTERM from scancel
    "6,  9,   137", // SIGKILL after KillWait
    "9,  0,   0",
  })
  void decodesWaitStatusToExitCode(long jobId, long waitStatus, int exitCode) {
    assertThat(SlurmExitCode.fromWaitStatus(waitStatus)).isEqualTo(exitCode);
    assertThat(jobs.get(jobId).exitCode()).isEqualTo(exitCode);
  }

  @Test
  void readsLaterFormatWithWrappedNumbersAndStateArrays() throws IOException {
    String json =
        """
        {"jobs": [{"job_id": 7, "name": "n", "user_name": "u", "partition": "p",
          "job_state": ["PENDING"], "state_reason": "JobHeldUser", "restart_cnt": 1,
          "priority": {"set": true, "infinite": false, "number": 0},
          "submit_time": {"set": true, "infinite": false, "number": 1795782920},
          "start_time": {"set": false, "infinite": false, "number": 0},
          "eligible_time": {"set": true, "infinite": false, "number": 1795783041},
          "exit_code": {"status": ["SUCCESS"], "return_code": {"set": true, "number": 0}},
          "nodes": "", "comment": "", "current_working_directory": "/w",
          "standard_output": "", "standard_error": ""}]}
        """;

    SchedulerJob j = new SqueueJsonParser().parse(json).get(0);

    assertThat(j.state()).isEqualTo("PENDING");
    assertThat(j.held()).isTrue();
    assertThat(j.submitTime()).isEqualTo(Instant.ofEpochSecond(1795782920L));
    assertThat(j.beginTime()).isEqualTo(Instant.ofEpochSecond(1795783041L));
    assertThat(j.exitCode()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"garbage", "{\"meta\": {}}", "", "<html>502 Bad Gateway</html>"})
  void rejectsOutputWithoutJobs(String output) {
    assertThatThrownBy(() -> new SqueueJsonParser().parse(output)).isInstanceOf(IOException.class);
  }
}
