package dev.ajr.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ajr, running as a process of its own, is killed with SIGKILL at each step of a recovery in turn
 * (the test-only switch {@code AJR_TEST_STOP_AT} holds the recovery at the step until the kill); a
 * new process on the same database must complete the recovery exactly once: the job requeued once
 * in Slurm (Restarts=1), its second attempt completed, the decision DONE with every action
 * verified, and no job left held.
 */
class FaultInjectionIT {

  private static final String PASSWORD = "it-" + UUID.randomUUID();
  private static final Pattern RESTARTS = Pattern.compile("Restarts=(\\d+)");

  @ParameterizedTest(name = "killed at {0}")
  @ValueSource(
      strings = {
        "decision.started",
        "REQUEUE_HOLD.issued",
        "REQUEUE_HOLD.sent",
        "REQUEUE_HOLD.verified",
        "START_NOW.issued",
        "START_NOW.sent",
        "START_NOW.verified",
        "RELEASE.issued",
        "RELEASE.sent",
        "RELEASE.verified",
        "decision.finishing"
      })
  void aRecoveryInterruptedBySigkillCompletesExactlyOnce(String step) throws Exception {
    SlurmCluster.requireRunning();
    Path root = Files.createTempDirectory("ajr-it-kill-");
    Path data = Files.createDirectories(root.resolve("data"));
    Path config = root.resolve("ajr.yaml");
    Files.writeString(config, "slurm:\n  poll-interval: 500ms\n");
    Path dir = Files.createDirectories(root.resolve("job"));
    Files.writeString(
        dir.resolve("job.sh"),
        """
        #!/bin/bash
        #SBATCH --comment='{"APS": {"auto_resume_mode": "requeue", "max_requeue_times": 1}}'
        if [ "${SLURM_RESTART_COUNT:-0}" = 0 ]; then
          sleep 1
          echo 'Rank0: (1) segmentation fault: artificial segfault'
          sleep 300
          exit 1
        fi
        echo 'resumed from checkpoint'
        """);
    int port = freePort();
    String base = "http://127.0.0.1:" + port;
    Process first = startServer(root, config, data, port, step, "server-1.log");
    Process second = null;
    long id = -1;
    try {
      awaitUp(base, first, root.resolve("server-1.log"));
      id = SlurmCluster.sbatch(dir, "-J", "ajr-it-kill", "-p", "debug", "job.sh");
      Path marker = data.resolve("stopped-at-" + step);
      Instant deadline = Instant.now().plusSeconds(90);
      while (!Files.exists(marker)) {
        assertThat(Instant.now()).as("the recovery to reach " + step).isBefore(deadline);
        assertThat(first.isAlive()).as("the first server runs").isTrue();
        Thread.sleep(50);
      }
      first.destroyForcibly().waitFor(); // SIGKILL, held at the step

      second = startServer(root, config, data, port, null, "server-2.log");
      awaitUp(base, second, root.resolve("server-2.log"));
      ApiClient api = new ApiClient(base, "admin", PASSWORD);
      JsonNode done =
          api.await(
              "/api/v1/jobs/" + id,
              Duration.ofSeconds(90),
              "the recovery to complete after the kill at " + step,
              j ->
                  "COMPLETED".equals(j.at("/job/status").asText())
                      && "COMPLETED".equals(j.at("/attempts/1/state").asText()));
      assertThat(done.get("decisions")).hasSize(1);
      assertThat(done.at("/decisions/0/state").asText()).isEqualTo("DONE");
      for (JsonNode action : done.at("/decisions/0/actions")) {
        assertThat(action.path("state").asText()).as(action.toString()).isEqualTo("VERIFIED");
      }
      assertThat(done.get("attempts")).hasSize(2);
      assertThat(done.at("/attempts/0/state").asText()).isEqualTo("KILLED");
      assertThat(done.at("/attempts/1/state").asText()).isEqualTo("COMPLETED");
      String slurm = SlurmCluster.run(root, List.of("scontrol", "show", "job", Long.toString(id)));
      Matcher restarts = RESTARTS.matcher(slurm);
      assertThat(restarts.find()).isTrue();
      assertThat(restarts.group(1)).as("requeued exactly once").isEqualTo("1");
      assertThat(slurm).contains("JobState=COMPLETED");
    } finally {
      first.destroyForcibly().waitFor();
      if (second != null) {
        second.destroy();
        second.waitFor();
      }
      if (id > 0) {
        SlurmCluster.run(root, List.of("scancel", Long.toString(id)));
      }
    }
  }

  private static Process startServer(
      Path root, Path config, Path data, int port, String stopAt, String log) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("dev.ajr.server.cli.Main");
    command.addAll(
        List.of(
            "server",
            "--port",
            Integer.toString(port),
            "--data-dir",
            data.toString(),
            "--config",
            config.toString()));
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(root.resolve(log).toFile()));
    pb.environment().put("AJR_ADMIN_PASSWORD", PASSWORD);
    if (stopAt != null) {
      pb.environment().put("AJR_TEST_STOP_AT", stopAt);
    } else {
      pb.environment().remove("AJR_TEST_STOP_AT");
    }
    return pb.start();
  }

  private static void awaitUp(String base, Process process, Path log) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    Instant deadline = Instant.now().plusSeconds(60);
    while (true) {
      assertThat(process.isAlive()).as("the server started; see " + log).isTrue();
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create(base + "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      assertThat(Instant.now()).as("the server to answer; see " + log).isBefore(deadline);
      Thread.sleep(100);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
