package dev.ajr.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    List<String> args = List.of("--data-dir", data.toString(), "--config", config.toString());
    Map<String, String> env = new HashMap<>();
    env.put("AJR_ADMIN_PASSWORD", PASSWORD);
    env.put("AJR_TEST_STOP_AT", step);
    ServerProcess first = ServerProcess.start(args, env, root.resolve("server-1.log"));
    ServerProcess second = null;
    long id = -1;
    try {
      first.awaitUp();
      id = SlurmCluster.sbatch(dir, "-J", "ajr-it-kill", "-p", "debug", "job.sh");
      Path marker = data.resolve("stopped-at-" + step);
      Instant deadline = Instant.now().plusSeconds(90);
      while (!Files.exists(marker)) {
        assertThat(Instant.now()).as("the recovery to reach " + step).isBefore(deadline);
        assertThat(first.process.isAlive()).as("the first server runs").isTrue();
        Thread.sleep(50);
      }
      first.kill(); // SIGKILL, held at the step

      env.put("AJR_TEST_STOP_AT", null);
      second = ServerProcess.start(args, env, root.resolve("server-2.log"));
      second.awaitUp();
      ApiClient api = new ApiClient(second.url(), "admin", PASSWORD);
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
      first.kill();
      if (second != null) {
        second.stop();
      }
      if (id > 0) {
        SlurmCluster.run(root, List.of("scancel", Long.toString(id)));
      }
    }
  }
}
