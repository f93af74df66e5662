package dev.ajr.slurm.rest;

import static dev.ajr.slurm.rest.FakeSlurmrestd.recorded;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.core.scheduler.SchedulerJob;
import dev.ajr.slurm.CommandRunner;
import dev.ajr.slurm.ScontrolShowJob;
import dev.ajr.slurm.SlurmCliScheduler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The REST adapter reads the recorded queue as the command-line adapter reads it: the job objects
 * of {@code GET /slurm/v0.0.38/jobs} are the bytes {@code squeue --json} printed at the same
 * moment, and the output paths are those {@code scontrol show job -o} printed then.
 */
class SameJobsAsTheCommandsTest {

  private static final String JOBS = new String(recorded("jobs.json"), StandardCharsets.UTF_8);
  private static final Map<Long, String> SHOW_JOB =
      new String(recorded("scontrol-show-job.txt"), StandardCharsets.UTF_8)
          .lines()
          .collect(
              Collectors.toMap(
                  line -> Long.parseLong(ScontrolShowJob.field(line, "JobId").orElseThrow()),
                  Function.identity()));

  /**
   * Jobs for which the command-line adapter does not ask {@code scontrol} and takes a shortcut that
   * differs from it: 44 and 47 are the tasks of an array with the default output ({@code
   * slurm-44_2.out} and {@code slurm-44_1.out}, where the shortcut says {@code slurm-<id>.out}); 42
   * has {@code -o} without {@code -e} (the error path is the output path, the shortcut leaves it
   * empty).
   */
  private static final Set<Long> CLI_SHORTCUTS = Set.of(42L, 44L, 47L);

  private static List<SchedulerJob> rest() throws Exception {
    RestTransport recordedListing = request -> new RestTransport.Answer(200, recorded("jobs.json"));
    return new SlurmRestScheduler(
            new SlurmRestSettings(
                java.net.URI.create("http://127.0.0.1:6820"),
                "ajr",
                SlurmToken.fixed("token", "the test")),
            recordedListing,
            new SlurmRestSchedulerTest.RecordingCommands())
        .jobs();
  }

  private static List<SchedulerJob> commandLine() throws Exception {
    CommandRunner slurm =
        (command, environment, timeout) -> {
          if (command.get(0).equals("squeue")) {
            return new CommandRunner.CommandResult(0, JOBS, "");
          }
          long id = Long.parseLong(command.get(command.size() - 1));
          return new CommandRunner.CommandResult(0, SHOW_JOB.get(id), "");
        };
    return new SlurmCliScheduler(slurm, Duration.ofSeconds(5), SlurmCliScheduler.ListingFormat.JSON)
        .jobs();
  }

  @Test
  void outputPathsAreThoseScontrolPrinted() throws Exception {
    List<SchedulerJob> jobs = rest();

    assertThat(jobs).hasSize(SHOW_JOB.size());
    for (SchedulerJob job : jobs) {
      String line = SHOW_JOB.get(job.jobId());
      assertThat(job.stdOut())
          .as("StdOut of job %d", job.jobId())
          .isEqualTo(ScontrolShowJob.field(line, "StdOut").orElseThrow());
      assertThat(job.stdErr())
          .as("StdErr of job %d", job.jobId())
          .isEqualTo(ScontrolShowJob.field(line, "StdErr").orElseThrow());
    }
    assertThat(jobs)
        .extracting(SchedulerJob::stdOut)
        .contains(
            "/tmp/restrec/work/out-restrec-pattern-41.log",
            "/tmp/restrec/work/node-%N-43.log",
            "/tmp/restrec/work/slurm-44_1.out",
            "/tmp/restrec/ajrwork/ajr-46.out");
  }

  @Test
  void everyJobIsTheOneTheCommandLineAdapterReads() throws Exception {
    Map<Long, SchedulerJob> cli =
        commandLine().stream().collect(Collectors.toMap(SchedulerJob::jobId, j -> j));
    List<SchedulerJob> rest = rest();

    assertThat(cli.keySet())
        .containsExactlyInAnyOrderElementsOf(rest.stream().map(SchedulerJob::jobId).toList());
    for (SchedulerJob job : rest) {
      SchedulerJob same = cli.get(job.jobId());
      if (CLI_SHORTCUTS.contains(job.jobId())) {
        assertThat(job.withOutputs("", "")).isEqualTo(same.withOutputs("", ""));
      } else {
        assertThat(job).as("job %d", job.jobId()).isEqualTo(same);
      }
    }
  }
}
