package dev.ajr.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Three replicas of ajr on one MariaDB database: the leader is killed with SIGKILL in the middle of
 * a recovery (right after it sent the requeue, before verifying it); another replica takes over
 * within 10 seconds and completes the recovery exactly once: Slurm's history of the job shows one
 * requeue. The API answers the same on every replica.
 */
class ReplicasIT {

  private static final String PASSWORD = "it-" + UUID.randomUUID();
  private static final String SERVER = "jdbc:mariadb://127.0.0.1:3306/";
  private static final Pattern RESTARTS = Pattern.compile("Restarts=(\\d+)");

  @Test
  void theLeaderKilledMidRecoveryIsReplacedAndTheRecoveryCompletesOnce() throws Exception {
    SlurmCluster.requireRunning();
    String name = "ajr_it_rep_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    sql("CREATE DATABASE " + name + " CHARACTER SET utf8mb4");
    Path root = Files.createTempDirectory("ajr-it-replicas-");
    Path config = root.resolve("ajr.yaml");
    Files.writeString(
        config,
        """
        slurm:
          poll-interval: 500ms
        cluster:
          replicas: true
          lease-duration: 6s
        database:
          url: %s
          user: root
          pool-size: 4
        """
            .formatted(SERVER + name));
    Path dir = Files.createDirectories(root.resolve("job"));
    Files.writeString(
        dir.resolve("job.sh"),
        """
        #!/bin/bash
        #SBATCH --comment='{"APS": {"auto_resume_mode": "requeue", "max_requeue_times": 1}}'
        if [ "${SLURM_RESTART_COUNT:-0}" = 0 ]; then
          sleep 2
          echo 'Rank0: (1) segmentation fault: artificial segfault'
          sleep 300
          exit 1
        fi
        echo 'resumed from checkpoint'
        """);
    List<ServerProcess> replicas = new ArrayList<>();
    long id = -1;
    try {
      Map<String, String> env = new HashMap<>();
      env.put("AJR_ADMIN_PASSWORD", PASSWORD);
      env.put("AJR_TEST_STOP_AT", "REQUEUE_HOLD.sent");
      ServerProcess first = start(root, config, "a", env, replicas);
      awaitRole(first, "leader", Duration.ofSeconds(30));
      env.put("AJR_TEST_STOP_AT", null);
      ServerProcess second = start(root, config, "b", env, replicas);
      ServerProcess third = start(root, config, "c", env, replicas);
      assertThat(second.role()).isEqualTo("follower");
      assertThat(third.role()).isEqualTo("follower");

      id = SlurmCluster.sbatch(dir, "-J", "ajr-it-replicas", "-p", "debug", "job.sh");
      Path marker = root.resolve("data-a").resolve("stopped-at-REQUEUE_HOLD.sent");
      Instant deadline = Instant.now().plusSeconds(90);
      while (!Files.exists(marker)) {
        assertThat(Instant.now()).as("the leader to send the requeue").isBefore(deadline);
        Thread.sleep(50);
      }
      first.kill();
      Instant killed = Instant.now();
      ServerProcess next = awaitNewLeader(List.of(second, third), Duration.ofSeconds(30));
      Duration failover = Duration.between(killed, Instant.now());
      System.out.println("replica failover took " + failover.toMillis() + " ms");
      assertThat(failover).isLessThan(Duration.ofSeconds(10));

      JsonNode done =
          new ApiClient(next.url(), "admin", PASSWORD)
              .await(
                  "/api/v1/jobs/" + id,
                  Duration.ofSeconds(90),
                  "the new leader to complete the recovery",
                  j ->
                      "COMPLETED".equals(j.at("/job/status").asText())
                          && "COMPLETED".equals(j.at("/attempts/1/state").asText()));
      assertThat(done.get("decisions")).hasSize(1);
      assertThat(done.at("/decisions/0/state").asText()).isEqualTo("DONE");
      for (JsonNode action : done.at("/decisions/0/actions")) {
        assertThat(action.path("state").asText()).isEqualTo("VERIFIED");
      }
      String slurm = SlurmCluster.run(root, List.of("scontrol", "show", "job", Long.toString(id)));
      Matcher restarts = RESTARTS.matcher(slurm);
      assertThat(restarts.find()).isTrue();
      assertThat(restarts.group(1)).as("requeued exactly once").isEqualTo("1");

      ServerProcess other = next == second ? third : second;
      JsonNode onFollower = new ApiClient(other.url(), "admin", PASSWORD).get("/api/v1/jobs/" + id);
      assertThat(onFollower.at("/decisions/0/state").asText()).isEqualTo("DONE");
      assertThat(onFollower.get("attempts")).hasSize(2);
    } finally {
      for (ServerProcess r : replicas) {
        r.kill();
      }
      if (id > 0) {
        SlurmCluster.run(root, List.of("scancel", Long.toString(id)));
      }
      sql("DROP DATABASE IF EXISTS " + name);
    }
  }

  private static ServerProcess start(
      Path root, Path config, String replica, Map<String, String> env, List<ServerProcess> all)
      throws Exception {
    Path data = Files.createDirectories(root.resolve("data-" + replica));
    ServerProcess p =
        ServerProcess.start(
            List.of("--config", config.toString(), "--data-dir", data.toString()),
            env,
            root.resolve("replica-" + replica + ".log"));
    all.add(p);
    p.awaitUp();
    return p;
  }

  private static void awaitRole(ServerProcess p, String role, Duration timeout) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    while (!role.equals(p.role())) {
      assertThat(Instant.now())
          .as("replica to become " + role + "; see " + p.log)
          .isBefore(deadline);
      Thread.sleep(100);
    }
  }

  private static ServerProcess awaitNewLeader(List<ServerProcess> candidates, Duration timeout)
      throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      for (ServerProcess p : candidates) {
        if ("leader".equals(p.role())) {
          return p;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no replica took over within " + timeout);
  }

  private static void sql(String statement) {
    try (Connection c = DriverManager.getConnection(SERVER, "root", "");
        Statement s = c.createStatement()) {
      s.execute(statement);
    } catch (SQLException e) {
      fail(
          "MariaDB at 127.0.0.1:3306 is needed (scripts/services.sh starts it): " + e.getMessage());
    }
  }
}
