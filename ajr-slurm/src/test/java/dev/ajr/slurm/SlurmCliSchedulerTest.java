package dev.ajr.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ajr.core.scheduler.SchedulerException;
import dev.ajr.core.scheduler.SchedulerJob;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SlurmCliSchedulerTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  /** Answers commands from the test's script and records every command it was given. */
  private static final class FakeRunner implements CommandRunner {

    interface Answer {
      CommandResult answer(List<String> command) throws IOException;
    }

    final List<List<String>> commands = new ArrayList<>();
    final List<Map<String, String>> environments = new ArrayList<>();
    final List<Duration> timeouts = new ArrayList<>();
    Answer answer = command -> new CommandResult(0, "", "");

    @Override
    public CommandResult run(
        List<String> command, Map<String, String> environment, Duration timeout)
        throws IOException {
      commands.add(List.copyOf(command));
      environments.add(Map.copyOf(environment));
      timeouts.add(timeout);
      return answer.answer(command);
    }

    long count(String... prefix) {
      return commands.stream()
          .filter(
              c -> c.size() >= prefix.length && c.subList(0, prefix.length).equals(List.of(prefix)))
          .count();
    }
  }

  private static final String SHOW_JOB_3 =
      "JobId=3 JobName=tl UserId=root(0) JobState=CANCELLED Reason=None Restarts=0"
          + " WorkDir=/tmp/ajr-experiments Comment=(null)  StdErr=/tmp/ajr-experiments/tl-3.err"
          + " StdIn=/dev/null StdOut=/tmp/ajr-experiments/tl-tl-3.out Power= \n";
  private static final String SHOW_JOB_1 =
      "JobId=1 JobName=fin-job JobState=CANCELLED WorkDir=/tmp/ajr-experiments"
          + " Comment={\"APS\": {\"x\": 1}}  StdErr=/tmp/ajr-experiments/fin-1.out"
          + " StdIn=/dev/null StdOut=/tmp/ajr-experiments/fin-1.out Power= \n";

  private final FakeRunner runner = new FakeRunner();
  private final SlurmCliScheduler scheduler =
      new SlurmCliScheduler(runner, TIMEOUT, SlurmCliScheduler.ListingFormat.JSON);
  private final SlurmCliScheduler text =
      new SlurmCliScheduler(
          runner,
          TIMEOUT,
          SlurmCliScheduler.ListingFormat.TEXT,
          () -> SqueueText.withSeparator("\u001fSEP"));
  private String squeue;

  @BeforeEach
  void slurmWithFixtureQueue() throws IOException {
    squeue = SqueueJsonParserTest.fixture();
    runner.answer =
        command -> {
          if (command.get(0).equals("squeue")) {
            return new CommandRunner.CommandResult(0, squeue, "");
          }
          if (command.equals(List.of("scontrol", "show", "job", "-o", "3"))) {
            return new CommandRunner.CommandResult(0, SHOW_JOB_3, "");
          }
          if (command.equals(List.of("scontrol", "show", "job", "-o", "1"))) {
            return new CommandRunner.CommandResult(0, SHOW_JOB_1, "");
          }
          return new CommandRunner.CommandResult(0, "", "");
        };
  }

  @Test
  void looksAtOneJobByFilteringTheFullList() throws SchedulerException {
    Optional<SchedulerJob> job = scheduler.job(19);

    assertThat(job).map(SchedulerJob::name).contains("ajr-sample-running");
    assertThat(runner.commands.get(0)).containsExactly("squeue", "--json", "--states=all");
    assertThat(runner.timeouts).containsOnly(TIMEOUT);
    assertThat(scheduler.job(99999)).isEmpty();
  }

  @Test
  void listsEveryJob() throws SchedulerException {
    assertThat(scheduler.jobs()).hasSize(20);
  }

  @Test
  void resolvesDefaultOutputToSlurmJobIdFileInWorkDir() throws SchedulerException {
    SchedulerJob job = scheduler.job(19).orElseThrow();

    assertThat(job.stdOut()).isEqualTo("/tmp/ajr-experiments/slurm-19.out");
    assertThat(job.stdErr()).isEqualTo("/tmp/ajr-experiments/slurm-19.out");
    assertThat(runner.count("scontrol")).isZero();
  }

  @Test
  void resolvesOutputPatternOnceThroughScontrolAndCachesIt() throws SchedulerException {
    squeue = withState(squeue, 3, "RUNNING");
    SchedulerJob first = scheduler.job(3).orElseThrow();
    SchedulerJob second = scheduler.job(3).orElseThrow();

    assertThat(first.stdOut()).isEqualTo("/tmp/ajr-experiments/tl-tl-3.out");
    assertThat(first.stdErr()).isEqualTo("/tmp/ajr-experiments/tl-3.err");
    assertThat(second.stdOut()).isEqualTo(first.stdOut());
    assertThat(runner.count("scontrol", "show", "job", "-o", "3")).isEqualTo(1);
    assertThat(runner.count("squeue")).isEqualTo(2);
  }

  @Test
  void resolvesEveryPatternOfTheListOnce() throws SchedulerException {
    List<SchedulerJob> first = scheduler.jobs();
    scheduler.jobs();

    assertThat(first)
        .filteredOn(j -> j.jobId() == 1)
        .singleElement()
        .satisfies(j -> assertThat(j.stdOut()).isEqualTo("/tmp/ajr-experiments/fin-1.out"));
    // Job 3 did not opt in and ended without ajr seeing it run: its paths are never read.
    assertThat(first)
        .filteredOn(j -> j.jobId() == 3)
        .singleElement()
        .satisfies(j -> assertThat(j.stdOut()).contains("%"));
    assertThat(runner.count("scontrol", "show", "job")).isEqualTo(1);
  }

  @Test
  void aPendingJobThatDidNotOptInKeepsItsPatternsUntilItRuns() throws SchedulerException {
    String fixture = squeue;
    squeue = withState(fixture, 3, "PENDING");

    SchedulerJob waiting = scheduler.job(3).orElseThrow();

    assertThat(waiting.stdOut()).isEqualTo("/tmp/ajr-experiments/tl-%x-%j.out");
    assertThat(runner.count("scontrol", "show", "job")).isZero();

    squeue = withState(fixture, 3, "RUNNING");
    assertThat(scheduler.job(3).orElseThrow().stdOut())
        .isEqualTo("/tmp/ajr-experiments/tl-tl-3.out");
    assertThat(runner.count("scontrol", "show", "job", "-o", "3")).isEqualTo(1);
  }

  /** The fixture with job {@code id} in {@code state} instead. */
  private static String withState(String json, long id, String state) {
    try {
      com.fasterxml.jackson.databind.ObjectMapper mapper =
          new com.fasterxml.jackson.databind.ObjectMapper();
      com.fasterxml.jackson.databind.JsonNode root = mapper.readTree(json);
      for (com.fasterxml.jackson.databind.JsonNode job : root.get("jobs")) {
        if (job.get("job_id").asLong() == id) {
          ((com.fasterxml.jackson.databind.node.ObjectNode) job).put("job_state", state);
        }
      }
      return mapper.writeValueAsString(root);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void resolvesStdErrPatternEvenWhenStdOutIsPlain() throws SchedulerException {
    squeue =
        squeue.replace(
            "\"standard_output\": \"\\/tmp\\/ajr-experiments\\/tl-%x-%j.out\"",
            "\"standard_output\": \"\\/tmp\\/ajr-experiments\\/tl.out\"");
    assertThat(squeue).contains("tl.out");
    squeue = withState(squeue, 3, "RUNNING");

    SchedulerJob job = scheduler.job(3).orElseThrow();

    assertThat(job.stdErr()).isEqualTo("/tmp/ajr-experiments/tl-3.err");
  }

  @Test
  void unreachableControllerIsTransient() {
    runner.answer =
        command ->
            new CommandRunner.CommandResult(
                1,
                "",
                "slurm_load_jobs error: Unable to contact slurm controller (connect failure)\n");

    assertThatThrownBy(scheduler::jobs)
        .isInstanceOfSatisfying(
            SchedulerException.class, e -> assertThat(e.transientFailure()).isTrue())
        .hasMessageContaining("Unable to contact slurm controller")
        .hasMessageContaining("exit 1");
  }

  @Test
  void refusalIsNotTransient() {
    runner.answer =
        command -> new CommandRunner.CommandResult(1, "", "Job is pending execution for job 7\n");

    assertThatThrownBy(() -> scheduler.requeueHold(7))
        .isInstanceOfSatisfying(
            SchedulerException.class, e -> assertThat(e.transientFailure()).isFalse())
        .hasMessageContaining("Job is pending execution for job 7");
    assertThat(runner.commands).containsExactly(List.of("scontrol", "requeuehold", "7"));
  }

  @Test
  void timeoutIsTransient() {
    runner.answer =
        command -> {
          throw new CommandRunner.CommandTimeoutException("squeue did not answer within 5 s");
        };

    assertThatThrownBy(() -> scheduler.job(19))
        .isInstanceOfSatisfying(
            SchedulerException.class, e -> assertThat(e.transientFailure()).isTrue())
        .hasMessageContaining("did not answer");
  }

  @Test
  void missingCommandIsTransientAndSaysSo() {
    runner.answer =
        command -> {
          throw new IOException("Cannot run program \"squeue\": error=2, No such file");
        };

    assertThatThrownBy(scheduler::jobs)
        .isInstanceOfSatisfying(
            SchedulerException.class, e -> assertThat(e.transientFailure()).isTrue())
        .hasMessageContaining("is Slurm installed");
  }

  @Test
  void unreadableSqueueOutputIsTransient() {
    squeue = "squeue: error: Invalid user\n";

    assertThatThrownBy(scheduler::jobs)
        .isInstanceOfSatisfying(
            SchedulerException.class, e -> assertThat(e.transientFailure()).isTrue())
        .hasMessageContaining("cannot read");
  }

  @Test
  void sendsTheSlurmCommands() throws SchedulerException {
    scheduler.requeueHold(4);
    scheduler.startAfter(4, java.time.Duration.ZERO);
    scheduler.startAfter(4, java.time.Duration.ofSeconds(2));
    scheduler.release(4);
    scheduler.cancel(4);
    scheduler.excludeNodes(4, List.of("node1", "node2"));

    assertThat(runner.commands)
        .containsExactly(
            List.of("scontrol", "requeuehold", "4"),
            List.of("scontrol", "update", "jobid=4", "StartTime=now"),
            List.of("scontrol", "update", "jobid=4", "StartTime=now+2"),
            List.of("scontrol", "release", "4"),
            List.of("scancel", "4"),
            List.of("scontrol", "update", "jobid=4", "ExcNodeList=node1,node2"));
  }

  @Test
  void textListingAsksForTheFormatInTheEnvironmentAndReadsIt() throws Exception {
    String recorded = SqueueTextTest.recorded();
    runner.answer = command -> new CommandRunner.CommandResult(0, recorded, "");

    List<SchedulerJob> jobs = text.jobs();

    assertThat(jobs).hasSize(7);
    assertThat(runner.commands.get(0)).containsExactly("squeue", "-h", "--states=all");
    assertThat(runner.environments.get(0))
        .containsEntry("SLURM_TIME_FORMAT", "%s")
        .containsKey("SQUEUE_FORMAT2");
    assertThat(String.join(" ", runner.commands.get(0))).doesNotContain("\u001f");
  }

  @Test
  void textLookAtOneJobAsksSlurmForThatJobAloneWithItsExcludedNodes() throws Exception {
    String recorded = SqueueTextTest.recorded();
    String six =
        recorded.substring(recorded.indexOf("6|we"), recorded.indexOf("\u001fSEP\n2|") + 5);
    runner.answer =
        command -> {
          if (command.contains("--format=%x")) {
            return new CommandRunner.CommandResult(0, "node[3-4]\n", "");
          }
          return new CommandRunner.CommandResult(0, six, "");
        };

    SchedulerJob job = text.job(6).orElseThrow();

    assertThat(job.name()).isEqualTo("we|ird name");
    assertThat(job.held()).isTrue();
    assertThat(job.excludedNodes()).containsExactly("node3", "node4");
    assertThat(runner.commands)
        .containsExactly(
            List.of("squeue", "-h", "--states=all", "--jobs=6"),
            List.of("squeue", "-h", "--states=all", "--jobs=6", "--format=%x"));
  }

  @Test
  void textLookAtAJobSlurmForgotIsEmptyNotAFailure() throws Exception {
    runner.answer =
        command ->
            new CommandRunner.CommandResult(
                1, "", "slurm_load_jobs error: Invalid job id specified\n");

    assertThat(text.job(99999)).isEmpty();
    assertThat(runner.commands).hasSize(1);
  }

  @Test
  void textLookAtOneJobThatCannotReachSlurmIsTransient() {
    runner.answer =
        command ->
            new CommandRunner.CommandResult(
                1, "", "slurm_load_jobs error: Unable to contact slurm controller\n");

    assertThatThrownBy(() -> text.job(7))
        .isInstanceOfSatisfying(
            SchedulerException.class, e -> assertThat(e.transientFailure()).isTrue());
  }

  @Test
  void textListingResolvesOutputPatternsThroughScontrolOnce() throws Exception {
    String recorded = SqueueTextTest.recorded();
    runner.answer =
        command -> {
          if (command.get(0).equals("scontrol")) {
            return new CommandRunner.CommandResult(
                0,
                "JobId=2327 JobName=x Comment=y  StdErr=/tmp/sq/o-2327.log StdIn=/dev/null"
                    + " StdOut=/tmp/sq/o-2327.log Power= \n",
                "");
          }
          return new CommandRunner.CommandResult(0, recorded, "");
        };

    text.jobs();
    List<SchedulerJob> jobs = text.jobs();

    assertThat(jobs)
        .filteredOn(j -> j.jobId() == 2327)
        .singleElement()
        .satisfies(j -> assertThat(j.stdOut()).isEqualTo("/tmp/sq/o-2327.log"));
    assertThat(runner.count("scontrol", "show", "job", "-o", "2327")).isEqualTo(1);
  }

  @Test
  void asksTheAccountingWithEpochTimesAndOnlySlurmsOwnFields() throws Exception {
    runner.answer =
        command -> new CommandRunner.CommandResult(0, "9|COMPLETED|0:0|1|2|3|node1\n", "");

    assertThat(text.fromAccounting(9)).map(SchedulerJob::state).contains("COMPLETED");
    assertThat(runner.commands.get(0))
        .containsExactly(
            "sacct", "-X", "-n", "-P", "-D", "--jobs=9", "--format=" + SacctRuns.FORMAT);
    assertThat(runner.environments.get(0)).containsEntry("SLURM_TIME_FORMAT", "%s");
  }

  @Test
  void aClusterWithoutAccountingIsAskedOnce() throws Exception {
    runner.answer =
        command ->
            new CommandRunner.CommandResult(
                1, "", "sacct: error: Slurm accounting storage is disabled\n");

    assertThat(text.fromAccounting(9)).isEmpty();
    assertThat(text.fromAccounting(10)).isEmpty();
    assertThat(runner.commands).hasSize(1);
  }
}
