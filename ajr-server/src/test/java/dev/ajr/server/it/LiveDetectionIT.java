package dev.ajr.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ajr.server.app.AjrServer;
import dev.ajr.server.auth.Role;
import dev.ajr.server.config.AjrConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * On the local cluster, a failure line printed by a running job shows as an anomaly in the API
 * within a second: read by the server from the shared filesystem, and shipped by a node agent. A
 * node's kernel line shipped by the agent reaches the job on that node as trusted evidence. The
 * server observes only (recovery.mode observe), so the jobs keep running until cancelled.
 */
class LiveDetectionIT {

  private static final String PASSWORD = "it-" + UUID.randomUUID();
  private static final Duration VISIBLE_WITHIN = Duration.ofSeconds(1);

  private static final String JOB =
      """
      #!/bin/bash
      #SBATCH --comment='{"APS": {"auto_resume_mode": "requeue", "max_requeue_times": 1}}'
      sleep 4
      echo "$(date +%s%3N) RuntimeError: CUDA error: an illegal memory access was encountered"
      sleep 300
      """;

  @Test
  void aFailureLineReadFromTheSharedFilesystemIsInTheApiWithinASecond() throws Exception {
    SlurmCluster.requireRunning();
    Path root = Files.createTempDirectory("ajr-it-live-");
    AjrConfig config = SlurmCluster.serverConfig(root, Map.of("recovery.mode", "observe"));
    try (AjrServer server = new AjrServer(config)) {
      server.users().putUser("it-admin", PASSWORD, Role.ADMIN);
      server.start();
      long id = submit(root, "ajr-it-live-files");
      try {
        assertVisibleWithinASecond(new ApiClient(server.url(), "it-admin", PASSWORD), id);
      } finally {
        SlurmCluster.run(root, List.of("scancel", Long.toString(id)));
      }
    }
  }

  @Test
  void linesShippedByTheNodeAgentAreInTheApiWithinASecondAndKernelLinesAreTrusted()
      throws Exception {
    SlurmCluster.requireRunning();
    Path root = Files.createTempDirectory("ajr-it-live-agent-");
    AjrConfig config =
        SlurmCluster.serverConfig(
            root, Map.of("recovery.mode", "observe", "logs.follow-files", "false"));
    Path kernelLog = Files.createFile(root.resolve("node3-kern.log"));
    Process agent = null;
    try (AjrServer server = new AjrServer(config)) {
      server.users().putUser("it-admin", PASSWORD, Role.ADMIN);
      server.start();
      agent =
          AgentProcess.start(
              List.of(
                  "agent",
                  "--server",
                  server.url(),
                  "--node",
                  "node3",
                  "--token-file",
                  config.ingest().agentTokenFile().toString(),
                  "--kernel-log",
                  kernelLog.toString(),
                  "--state-dir",
                  root.resolve("agent-state").toString()),
              root.resolve("agent.log"));
      long id = submit(root, "ajr-it-live-agent", "-w", "node3");
      ApiClient api = new ApiClient(server.url(), "it-admin", PASSWORD);
      try {
        JsonNode anomaly = assertVisibleWithinASecond(api, id);
        assertThat(anomaly.path("evidence").asText()).isEqualTo("JOB_OUTPUT");
        assertThat(anomaly.path("trusted").asBoolean()).isFalse();

        Files.writeString(
            kernelLog,
            "[1234.567890] NVRM: Xid (PCI:0000:3b:00): 79, pid=4242, name=python, GPU has fallen"
                + " off the bus.\n",
            StandardOpenOption.APPEND);
        JsonNode job =
            api.await(
                "/api/v1/jobs/" + id,
                Duration.ofSeconds(10),
                "the kernel line as an anomaly of the job on node3",
                j -> kernelAnomaly(j) != null);
        JsonNode kernel = kernelAnomaly(job);
        assertThat(kernel.path("trusted").asBoolean()).isTrue();
        assertThat(kernel.path("node").asText()).isEqualTo("node3");
        assertThat(kernel.path("cause").asText()).isEqualTo("GPU_HARDWARE");
        assertThat(kernel.path("source").asText()).isEqualTo("node3:" + kernelLog);
      } finally {
        SlurmCluster.run(root, List.of("scancel", Long.toString(id)));
      }
    } finally {
      if (agent != null) {
        agent.destroyForcibly().waitFor();
      }
    }
  }

  private static JsonNode kernelAnomaly(JsonNode job) {
    for (JsonNode a : job.path("anomalies")) {
      if (a.path("evidence").asText().equals("KERNEL_LOG")) {
        return a;
      }
    }
    return null;
  }

  private static long submit(Path root, String name, String... extra)
      throws IOException, InterruptedException {
    Path dir = Files.createDirectories(root.resolve("job"));
    Files.writeString(dir.resolve("job.sh"), JOB);
    List<String> args = new ArrayList<>(List.of("-J", name, "-p", "debug"));
    args.addAll(List.of(extra));
    args.add("job.sh");
    return SlurmCluster.sbatch(dir, args.toArray(String[]::new));
  }

  /**
   * Polls the job's API view until the failure line is there; the line carries the time (epoch
   * milliseconds) the job printed it.
   */
  private static JsonNode assertVisibleWithinASecond(ApiClient api, long id) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
    while (Instant.now().isBefore(deadline)) {
      JsonNode job;
      try {
        job = api.get("/api/v1/jobs/" + id);
      } catch (IOException e) {
        job = null; // not tracked yet
      }
      Instant seen = Instant.now();
      if (job != null) {
        for (JsonNode a : job.path("anomalies")) {
          if (a.path("cause").asText().equals("CUDA_ERROR")) {
            Instant printed =
                Instant.ofEpochMilli(Long.parseLong(a.path("line").asText().split(" ")[0]));
            Duration delay = Duration.between(printed, seen);
            System.out.println(
                "job " + id + ": failure line in the API after " + delay.toMillis() + " ms");
            assertThat(delay).isLessThan(VISIBLE_WITHIN);
            return a;
          }
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("job " + id + ": the failure line never showed in the API");
  }
}
