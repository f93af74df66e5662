package dev.ajr.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ajr.core.scheduler.SchedulerJob;
import java.io.IOException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** On lines printed by sacct of Slurm 22.05 with slurmdbd on MariaDB (the local dev cluster). */
class SacctRunsTest {

  @Test
  void aRequeuedJobsRunsGiveItsRestartCountAndTheLastRunItsState() throws IOException {
    String out =
        "26266|REQUEUED|0:0|1796319617|1796319617|1796319618|node1\n"
            + "26266|FAILED|4:0|1796319618|1796319620|1796319622|node2\n";

    SchedulerJob job = SacctRuns.lastRun(26266, out).orElseThrow();

    assertThat(job.restartCount()).isEqualTo(1);
    assertThat(job.state()).isEqualTo("FAILED");
    assertThat(job.isFinished()).isTrue();
    assertThat(job.exitCode()).isEqualTo(4);
    assertThat(job.nodes()).containsExactly("node2");
    assertThat(job.startTime()).isEqualTo(Instant.ofEpochSecond(1796319620));
    assertThat(job.endTime()).isEqualTo(Instant.ofEpochSecond(1796319622));
  }

  @Test
  void aPendingRunHasNoNodesTimesOrEnd() throws IOException {
    SchedulerJob job =
        SacctRuns.lastRun(7, "7|PENDING|0:0|1796319618|Unknown|Unknown|None assigned\n")
            .orElseThrow();

    assertThat(job.isPending()).isTrue();
    assertThat(job.nodes()).isEmpty();
    assertThat(job.startTime()).isNull();
    assertThat(job.endTime()).isNull();
  }

  @Test
  void signalsAndCancelsReadAsSlurmMeansThem() throws IOException {
    SchedulerJob killed = SacctRuns.lastRun(5, "5|FAILED|0:11|1|2|3|node1\n").orElseThrow();
    SchedulerJob cancelled =
        SacctRuns.lastRun(6, "6|CANCELLED by 0|0:15|1|2|3|node[1-2]\n").orElseThrow();

    assertThat(killed.exitCode()).isEqualTo(139);
    assertThat(cancelled.state()).isEqualTo("CANCELLED");
    assertThat(cancelled.nodes()).containsExactly("node1", "node2");
  }

  @Test
  void otherJobsAndArrayTasksAreNotThisJob() throws IOException {
    assertThat(SacctRuns.lastRun(8, "80|COMPLETED|0:0|1|2|3|node1\n8_1|COMPLETED|0:0|1|2|3|n\n"))
        .isEmpty();
    assertThat(SacctRuns.lastRun(8, "")).isEmpty();
  }

  @Test
  void aLineWithOtherFieldsFails() {
    assertThatThrownBy(() -> SacctRuns.lastRun(8, "8|COMPLETED\n"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("sacct printed");
  }
}
