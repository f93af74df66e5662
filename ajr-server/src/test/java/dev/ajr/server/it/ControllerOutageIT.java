package dev.ajr.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ajr.core.scheduler.SchedulerJob;
import dev.ajr.server.app.AjrServer;
import dev.ajr.server.auth.Role;
import dev.ajr.server.config.AjrConfig;
import dev.ajr.slurm.ProcessCommandRunner;
import dev.ajr.slurm.SlurmCliScheduler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * slurmctld goes away just before a job crashes and comes back later: ajr detects the crash while
 * the controller is down, keeps its recovery waiting, says so in {@code /healthz}, and completes it
 * once the controller is back. Nothing is lost and nothing is done twice.
 */
class ControllerOutageIT {

  private static final String PASSWORD = "it-" + UUID.randomUUID();
  private static final Path DEV_CLUSTER = Path.of("..", "scripts", "dev-cluster.sh");

  @Test
  void aRecoveryWaitsForSlurmctldAndCompletesWhenItIsBack() throws Exception {
    SlurmCluster.requireRunning();
    Path root = Files.createTempDirectory("ajr-it-outage-");
    AjrConfig config = SlurmCluster.serverConfig(root, Map.of("slurm.command-timeout", "5s"));
    Path dir = Files.createDirectories(root.resolve("job"));
    Files.writeString(
        dir.resolve("job.sh"),
        """
        #!/bin/bash
        #SBATCH --comment='{"APS": {"auto_resume_mode": "requeue", "max_requeue_times": 1}}'
        if [ "${SLURM_RESTART_COUNT:-0}" = 0 ]; then
          while [ ! -e crash-now ]; do sleep 0.2; done
          echo 'Rank0: (1) segmentation fault: artificial segfault'
          sleep 300
          exit 1
        fi
        echo 'resumed from checkpoint'
        """);
    SlurmCliScheduler slurm =
        new SlurmCliScheduler(new ProcessCommandRunner(), Duration.ofSeconds(30));
    AjrServer server = new AjrServer(config);
    server.users().putUser("it-admin", PASSWORD, Role.ADMIN);
    server.start();
    long id = -1;
    boolean controllerDown = false;
    try {
      ApiClient api = new ApiClient(server.url(), "it-admin", PASSWORD);
      id = SlurmCluster.sbatch(dir, "-J", "ajr-it-outage", "-p", "debug", "job.sh");
      String path = "/api/v1/jobs/" + id;
      api.await(
          path,
          Duration.ofMinutes(2),
          "attempt 0 to run",
          j -> "RUNNING".equals(j.at("/attempts/0/state").asText()));

      SlurmCluster.run(dir, List.of("pkill", "-x", "slurmctld"));
      java.time.Instant killedAt = java.time.Instant.now();
      controllerDown = true;
      awaitHealth(server.url(), "degraded");
      Files.writeString(dir.resolve("crash-now"), "");

      JsonNode waiting =
          api.await(
              path,
              Duration.ofMinutes(1),
              "the crash to be detected and the requeue to wait for slurmctld",
              j ->
                  j.get("decisions").size() == 1
                      && j.at("/decisions/0/actions/0/outcome").asText().startsWith("waiting: "));
      assertThat(waiting.at("/decisions/0/state").asText()).isEqualTo("IN_PROGRESS");
      assertThat(waiting.at("/decisions/0/actions/0/state").asText()).isNotEqualTo("VERIFIED");

      // slurmctld stays down for the whole outage (60 s unless -Dajr.it.controller-down says
      // otherwise) while the recovery waits.
      Duration outage = Duration.parse("PT" + System.getProperty("ajr.it.controller-down", "60s"));
      Duration left = outage.minus(Duration.between(killedAt, java.time.Instant.now()));
      if (!left.isNegative()) {
        Thread.sleep(left.toMillis());
      }
      JsonNode stillWaiting = api.get(path);
      assertThat(stillWaiting.at("/decisions/0/state").asText()).isEqualTo("IN_PROGRESS");
      SlurmCluster.run(Path.of("."), List.of("bash", DEV_CLUSTER.toString(), "up"));
      controllerDown = false;

      JsonNode done =
          api.await(
              path,
              Duration.ofMinutes(3),
              "the recovery to complete after slurmctld came back",
              j -> "COMPLETED".equals(j.at("/job/status").asText()));
      assertThat(done.at("/decisions/0/state").asText()).isEqualTo("DONE");
      assertThat(done.get("attempts")).hasSize(2);
      assertThat(done.at("/attempts/0/state").asText()).isEqualTo("KILLED");
      assertThat(done.at("/attempts/1/state").asText()).isEqualTo("COMPLETED");
      SchedulerJob inSlurm = slurm.job(id).orElseThrow();
      assertThat(inSlurm.restartCount()).as("requeued exactly once").isEqualTo(1);
      awaitHealth(server.url(), "ok");
    } finally {
      if (controllerDown) {
        SlurmCluster.run(Path.of("."), List.of("bash", DEV_CLUSTER.toString(), "up"));
      }
      server.close();
      if (id > 0) {
        SlurmCluster.run(root, List.of("scancel", Long.toString(id)));
      }
    }
  }

  private static void awaitHealth(String base, String status) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    String body = "";
    while (Instant.now().isBefore(deadline)) {
      body =
          http.send(
                  HttpRequest.newBuilder(URI.create(base + "/healthz")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      if (body.contains("\"status\":\"" + status + "\"")) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("/healthz did not say " + status + " within 30 s: " + body);
  }
}
