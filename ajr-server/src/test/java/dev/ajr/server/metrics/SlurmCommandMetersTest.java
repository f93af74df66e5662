package dev.ajr.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ajr.core.scheduler.SchedulerException;
import dev.ajr.slurm.CommandRunner;
import dev.ajr.slurm.SlurmCliScheduler;
import dev.ajr.slurm.rest.RestTransport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Slurm's commands, run by the Slurm adapter over the timing runner, are timed and counted. */
class SlurmCommandMetersTest {

  private final ServerMetrics metrics = new ServerMetrics();

  @AfterEach
  void close() {
    metrics.close();
  }

  private SlurmCliScheduler scheduler(CommandRunner.CommandResult squeue, IOException failure) {
    CommandRunner slurm =
        (command, environment, timeout) -> {
          if (failure != null) {
            throw failure;
          }
          return command.get(0).equals("squeue")
              ? squeue
              : new CommandRunner.CommandResult(0, "", "");
        };
    return new SlurmCliScheduler(
        metrics.meters().slurmCommands().timing(slurm),
        Duration.ofSeconds(5),
        SlurmCliScheduler.ListingFormat.JSON);
  }

  @Test
  void everyCommandIsTimedUnderItsProgramAndSubcommand() throws Exception {
    SlurmCliScheduler s = scheduler(new CommandRunner.CommandResult(0, "{\"jobs\": []}", ""), null);

    s.jobs();
    s.jobs();
    s.requeueHold(7);
    s.release(7);

    assertThat(metrics.scrape())
        .contains("ajr_slurm_command_seconds_count{command=\"squeue\"} 2")
        .contains("ajr_slurm_command_seconds_count{command=\"scontrol requeuehold\"} 1")
        .contains("ajr_slurm_command_seconds_count{command=\"scontrol release\"} 1")
        .contains("ajr_slurm_command_seconds_count{command=\"scancel\"} 0")
        .contains("ajr_slurm_command_failures_total{command=\"squeue\",reason=\"exit\"} 0.0")
        .contains("ajr_slurm_command_output_bytes_total{command=\"squeue\"} 24.0")
        .contains("ajr_slurm_command_output_bytes_total{command=\"sacct\"} 0.0");
  }

  @Test
  void failuresAreCountedByWhyTheCommandFailed() {
    SlurmCliScheduler refused =
        scheduler(
            new CommandRunner.CommandResult(1, "", "slurm_load_jobs error: Unable to contact"),
            null);
    assertThatThrownBy(refused::jobs).isInstanceOf(SchedulerException.class);
    SlurmCliScheduler slow =
        scheduler(null, new CommandRunner.CommandTimeoutException("squeue did not answer"));
    assertThatThrownBy(slow::jobs).isInstanceOf(SchedulerException.class);
    SlurmCliScheduler missing = scheduler(null, new IOException("No such file: squeue"));
    assertThatThrownBy(missing::jobs).isInstanceOf(SchedulerException.class);

    assertThat(metrics.scrape())
        .contains("ajr_slurm_command_failures_total{command=\"squeue\",reason=\"exit\"} 1.0")
        .contains("ajr_slurm_command_failures_total{command=\"squeue\",reason=\"timeout\"} 1.0")
        .contains("ajr_slurm_command_failures_total{command=\"squeue\",reason=\"not_run\"} 1.0")
        .contains("ajr_slurm_command_seconds_count{command=\"squeue\"} 3");
  }

  @Test
  void slurmrestdRequestsAreTimedUnderTheirNamesFromTheStart() throws Exception {
    RestTransport.Request jobs =
        new RestTransport.Request(
            "rest:jobs", "GET", URI.create("http://127.0.0.1:6820/slurm/v0.0.38/jobs"), Map.of());
    RestTransport answers =
        metrics
            .meters()
            .slurmCommands()
            .timing(request ->
                switch (request.uri().getQuery() == null ? "" : request.uri().getQuery()) {
                  case "" -> new RestTransport.Answer(200, "{\"jobs\": []}".getBytes());
                  case "update_time=1" -> new RestTransport.Answer(304, new byte[0]);
                  case "update_time=2" -> new RestTransport.Answer(401, "no".getBytes());
                  default -> throw new HttpTimeoutException("request timed out");
                });

    answers.send(jobs);
    answers.send(withQuery(jobs, "update_time=1"));
    answers.send(withQuery(jobs, "update_time=2"));
    assertThatThrownBy(() -> answers.send(withQuery(jobs, "update_time=3")))
        .isInstanceOf(HttpTimeoutException.class);

    assertThat(metrics.scrape())
        .contains("ajr_slurm_command_seconds_count{command=\"rest:jobs\"} 4")
        .contains("ajr_slurm_command_seconds_count{command=\"rest:job\"} 0")
        .contains("ajr_slurm_command_output_bytes_total{command=\"rest:jobs\"} 14.0")
        .contains("ajr_slurm_command_failures_total{command=\"rest:jobs\",reason=\"exit\"} 1.0")
        .contains("ajr_slurm_command_failures_total{command=\"rest:jobs\",reason=\"timeout\"} 1.0");
  }

  private static RestTransport.Request withQuery(RestTransport.Request request, String query) {
    return new RestTransport.Request(
        request.name(),
        request.method(),
        URI.create(request.uri() + "?" + query),
        request.headers());
  }

  @Test
  void aProgramGivenByItsPathIsNamedByItsFileName() {
    assertThat(SlurmCommandMeters.name(List.of("/usr/bin/squeue", "--json"))).isEqualTo("squeue");
    assertThat(SlurmCommandMeters.name(List.of("scontrol", "show", "node", "n1")))
        .isEqualTo("scontrol show");
  }
}
