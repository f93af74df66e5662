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
import org.junit.jupiter.api.Test;

/**
 * The text listing, on output recorded from {@code squeue} of Slurm 22.05 on the local cluster with
 * the separator {@code \u001fSEP}.
 */
class SqueueTextTest {

  private static final SqueueText FORMAT = SqueueText.withSeparator("\u001fSEP");

  static String recorded() throws IOException {
    try (InputStream in =
        SqueueTextTest.class.getResourceAsStream("/squeue-text/slurm-22.05.txt")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static SchedulerJob job(List<SchedulerJob> jobs, long id) {
    return jobs.stream().filter(j -> j.jobId() == id).findFirst().orElseThrow();
  }

  @Test
  void readsEveryFieldAjrUsesOfAFinishedJob() throws IOException {
    SchedulerJob done = job(FORMAT.parse(recorded()), 1);

    assertThat(done.name()).isEqualTo("j.sh");
    assertThat(done.user()).isEqualTo("root");
    assertThat(done.partition()).isEqualTo("debug");
    assertThat(done.state()).isEqualTo("COMPLETED");
    assertThat(done.stateReason()).isEqualTo("None");
    assertThat(done.restartCount()).isZero();
    assertThat(done.nodes()).containsExactly("node1", "node2");
    assertThat(done.submitTime()).isEqualTo(Instant.ofEpochSecond(1796318428));
    assertThat(done.startTime()).isEqualTo(Instant.ofEpochSecond(1796318429));
    assertThat(done.endTime()).isEqualTo(Instant.ofEpochSecond(1796318549));
    assertThat(done.exitCode()).isZero();
    assertThat(done.workDir()).isEqualTo("/tmp/sq");
    assertThat(done.stdOut()).isEqualTo("/tmp/sq/out-%j-%x.log");
    assertThat(done.comment())
        .isEqualTo("{\"APS\": {\"auto_resume_mode\": \"requeue\", \"max_requeue_times\": 1}}");
    assertThat(done.held()).isFalse();
    assertThat(done.batch()).isTrue();
    assertThat(done.dependency()).isEmpty();
  }

  @Test
  void decodesExitStatusAndSignal() throws IOException {
    List<SchedulerJob> jobs = FORMAT.parse(recorded());

    assertThat(job(jobs, 4).exitCode()).isEqualTo(3);
    assertThat(job(jobs, 5).exitCode()).isEqualTo(128 + 11);
    assertThat(job(jobs, 4).state()).isEqualTo("FAILED");
  }

  @Test
  void aHeldJobIsHeldPendingAndHasNoStartOrEnd() throws IOException {
    SchedulerJob held = job(FORMAT.parse(recorded()), 2);

    assertThat(held.isPending()).isTrue();
    assertThat(held.held()).isTrue();
    assertThat(held.stateReason()).isEqualTo("JobHeldUser");
    assertThat(held.startTime()).isNull();
    assertThat(held.endTime()).isNull();
    assertThat(held.beginTime()).isNull();
    assertThat(held.nodes()).isEmpty();
    assertThat(held.stdOut()).isEqualTo("/tmp/sq/slurm-2.out");
  }

  @Test
  void whateverTheOwnerWritesInNameOrCommentStaysInItsField() throws IOException {
    List<SchedulerJob> jobs = FORMAT.parse(recorded());

    SchedulerJob odd = job(jobs, 2327);
    assertThat(odd.name()).isEqualTo("multi\nline|name");
    assertThat(odd.comment()).isEqualTo("{\"APS\": {\"auto_resume_mode\": \"requeue\"}} | x\ny");
    assertThat(odd.state()).isEqualTo("RUNNING");
    assertThat(odd.endTime()).as("a running job's end is its time limit, not an end").isNull();
    assertThat(job(jobs, 6).name()).isEqualTo("we|ird name");
    assertThat(jobs)
        .extracting(SchedulerJob::jobId)
        .containsExactly(1L, 4L, 5L, 6L, 2L, 2327L, 2328L);
  }

  @Test
  void aForgedRecordInACommentIsNoJob() throws IOException {
    // The owner cannot know the separator of this call: a comment that imitates a record with
    // another separator stays a comment.
    String forged =
        "9|x\u001fOTHERroot|debug|FAILED|None|0|node1|1|1|1|1|0|1|(null)|1|"
            + "|/tmp\u001fOTHER/o\u001fOTHER/o\u001fOTHER(null)\u001fOTHER\n";
    String output =
        "8|n\u001fSEProot|debug|RUNNING|None|0|node1|1|1|2|1|0|1|(null)|1|cpu=1|/tmp\u001fSEP"
            + "/o\u001fSEP/o\u001fSEPhello\n"
            + forged
            + "\u001fSEP\n";

    List<SchedulerJob> jobs = FORMAT.parse(output);

    assertThat(jobs).singleElement().satisfies(j -> assertThat(j.jobId()).isEqualTo(8));
    assertThat(jobs.get(0).comment()).contains("9|x");
  }

  @Test
  void outputInAnotherFormatFailsWithTheLineThatDoesNotFit() {
    assertThatThrownBy(() -> FORMAT.parse("JOBID PARTITION NAME\n12 debug x\n"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("squeue printed")
        .hasMessageContaining("JOBID");
    assertThatThrownBy(
            () -> FORMAT.parse(recorded().replace("|COMPLETED|None|0|", "|COMPLETED|None|x|")))
        .hasMessageContaining("\"x\"")
        .hasMessageContaining("RestartCnt");
  }

  @Test
  void readsSlurmsLocalTimesWhenEpochSecondsWereNotAskedFor() throws IOException {
    String local =
        recorded()
            .replace(
                "|1796318428|1796318429|1796318549|",
                "|2026-12-03T17:20:28|2026-12-03T17:20:29|NONE|");

    SchedulerJob done = job(FORMAT.parse(local), 1);

    assertThat(done.submitTime())
        .isEqualTo(
            java.time.LocalDateTime.parse("2026-12-03T17:20:28")
                .atZone(java.time.ZoneId.systemDefault())
                .toInstant());
    assertThat(done.endTime()).isNull();
  }

  @Test
  void theFormatTravelsInTheEnvironmentWithEpochTimesAndTheSeparatorAfterOwnersFields() {
    Map<String, String> env = FORMAT.environment();

    assertThat(env).containsEntry("SLURM_TIME_FORMAT", "%s");
    assertThat(env.get("SQUEUE_FORMAT2"))
        .startsWith("JobID:|,Name:\u001fSEP,UserName:|,")
        .endsWith(",Comment:\u001fSEP");
  }

  @Test
  void eachCallGetsAnotherSeparator() {
    String first = SqueueText.fresh().environment().get("SQUEUE_FORMAT2");
    String second = SqueueText.fresh().environment().get("SQUEUE_FORMAT2");

    assertThat(first).isNotEqualTo(second);
    assertThat(first).contains("Name:\u001f");
  }
}
