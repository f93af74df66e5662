package dev.ajr.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ajr.server.app.AjrServer;
import dev.ajr.server.auth.Role;
import dev.ajr.server.config.AjrConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Node isolation on the local cluster: a node whose kernel log (read by the node agent) shows Xid
 * 79 is drained with the evidence and the job restarts without it; a job that merely prints "Xid
 * 79" is restarted but drains nothing; kernel Xids on three nodes at once (pushed the way Promtail
 * ships the journal) drain no more than the blast-radius limit (one node of four). Every node this
 * test drains is put back in service at the end.
 */
class NodeIsolationIT {

  private static final String PASSWORD = "it-" + UUID.randomUUID();
  private static final String KERNEL_XID =
      "[8812.345678] NVRM: Xid (PCI:0000:3b:00): 79, pid=4242, name=python, GPU has fallen off the"
          + " bus.";

  /** A job that runs until ajr requeues it, then says so and runs on. */
  private static final String LONG_JOB =
      """
      #!/bin/bash
      #SBATCH --comment='{"APS": {"auto_resume_mode": "requeue", "max_requeue_times": 2}}'
      #SBATCH -c 2
      echo "attempt ${SLURM_RESTART_COUNT:-0} on $(hostname) $SLURMD_NODENAME"
      %s
      sleep 300
      """;

  @Test
  void aKernelXidDrainsTheNodeAndTheJobRestartsWithoutIt() throws Exception {
    SlurmCluster.requireRunning();
    Path root = Files.createTempDirectory("ajr-it-drain-");
    AjrConfig config = SlurmCluster.serverConfig(root, Map.of());
    Path kernelLog = Files.createFile(root.resolve("kern.log"));
    List<Long> jobs = new ArrayList<>();
    List<String> touched = new ArrayList<>();
    Process agent = null;
    try (AjrServer server = new AjrServer(config)) {
      server.users().putUser("it-admin", PASSWORD, Role.ADMIN);
      server.start();
      ApiClient api = new ApiClient(server.url(), "it-admin", PASSWORD);
      long id = submit(root, "ajr-it-drain", LONG_JOB.formatted(""));
      jobs.add(id);
      String node = awaitRunningNode(api, id, 0);
      touched.add(node);
      agent =
          AgentProcess.start(
              List.of(
                  "agent",
                  "--server",
                  server.url(),
                  "--node",
                  node,
                  "--token-file",
                  config.ingest().agentTokenFile().toString(),
                  "--kernel-log",
                  kernelLog.toString(),
                  "--no-job-output",
                  "--state-dir",
                  root.resolve("agent-state").toString()),
              root.resolve("agent.log"));
      Files.writeString(kernelLog, KERNEL_XID + "\n", StandardOpenOption.APPEND);

      JsonNode n =
          api.await(
              "/api/v1/nodes/" + node,
              Duration.ofSeconds(60),
              node + " drained by ajr",
              j -> j.path("node").path("health").asText().equals("DRAINED"));
      assertThat(n.path("node").path("reason").asText())
          .contains("kernel log of " + node)
          .contains("GPU_HARDWARE");
      String slurmNode = scontrol(node);
      assertThat(slurmNode).contains("DRAIN").contains("Reason=ajr: the kernel log of " + node);

      String next = awaitRunningNode(api, id, 1);
      assertThat(next).isNotEqualTo(node);
      assertThat(SlurmCluster.run(root, List.of("scontrol", "show", "job", Long.toString(id))))
          .contains("ExcNodeList=" + node);
      JsonNode job = api.get("/api/v1/jobs/" + id);
      JsonNode anomaly = job.path("anomalies").get(0);
      assertThat(anomaly.path("evidence").asText()).isEqualTo("KERNEL_LOG");
      assertThat(anomaly.path("node").asText()).isEqualTo(node);
    } finally {
      cleanUp(root, jobs, touched, agent);
    }
  }

  @Test
  void aJobPrintingXid79IsRestartedButDrainsNothing() throws Exception {
    SlurmCluster.requireRunning();
    Path root = Files.createTempDirectory("ajr-it-printed-xid-");
    AjrConfig config = SlurmCluster.serverConfig(root, Map.of());
    List<Long> jobs = new ArrayList<>();
    List<String> touched = new ArrayList<>();
    try (AjrServer server = new AjrServer(config)) {
      server.users().putUser("it-admin", PASSWORD, Role.ADMIN);
      server.start();
      ApiClient api = new ApiClient(server.url(), "it-admin", PASSWORD);
      String print =
          "if [ \"${SLURM_RESTART_COUNT:-0}\" = 0 ]; then sleep 2; echo '"
              + KERNEL_XID.substring(15)
              + "'; fi";
      long id = submit(root, "ajr-it-printed-xid", LONG_JOB.formatted(print));
      jobs.add(id);
      String node = awaitRunningNode(api, id, 0);
      touched.add(node);
      String next = awaitRunningNode(api, id, 1);
      assertThat(next).as("kept off the node its output blamed").isNotEqualTo(node);
      JsonNode n = api.get("/api/v1/nodes/" + node);
      assertThat(n.path("node").path("health").asText()).isEqualTo("SUSPECT");
      assertThat(n.path("node").path("reason").asText()).contains("not trusted to drain");
      assertThat(scontrol(node)).doesNotContain("DRAIN");
    } finally {
      cleanUp(root, jobs, touched, null);
    }
  }

  @Test
  void kernelXidsOnManyNodesAtOnceDrainNoMoreThanTheLimit() throws Exception {
    SlurmCluster.requireRunning();
    Path root = Files.createTempDirectory("ajr-it-blast-");
    AjrConfig config = SlurmCluster.serverConfig(root, Map.of());
    List<Long> jobs = new ArrayList<>();
    List<String> nodes = new ArrayList<>();
    try (AjrServer server = new AjrServer(config)) {
      server.users().putUser("it-admin", PASSWORD, Role.ADMIN);
      server.start();
      ApiClient api = new ApiClient(server.url(), "it-admin", PASSWORD);
      for (int i = 0; i < 3; i++) {
        jobs.add(submit(root, "ajr-it-blast-" + i, LONG_JOB.formatted("")));
      }
      for (long id : jobs) {
        nodes.add(awaitRunningNode(api, id, 0));
      }
      assertThat(nodes).doesNotHaveDuplicates();
      String token = Files.readString(config.ingest().agentTokenFile()).strip();
      StringBuilder streams = new StringBuilder();
      long ns = Instant.now().toEpochMilli() * 1_000_000;
      for (String node : nodes) {
        if (streams.length() > 0) {
          streams.append(',');
        }
        streams.append(
            """
            {"stream": {"transport": "kernel", "host": "%s", "job": "journal"},
             "values": [["%d", "%s"]]}\
            """
                .formatted(node, ns, KERNEL_XID.replace("\"", "\\\"")));
      }
      HttpResponse<String> pushed =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(server.url() + "/loki/api/v1/push"))
                      .header("Authorization", "Bearer " + token)
                      .header("Content-Type", "application/json")
                      .POST(HttpRequest.BodyPublishers.ofString("{\"streams\": [" + streams + "]}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(pushed.statusCode()).as(pushed.body()).isEqualTo(204);

      JsonNode all =
          api.await(
              "/api/v1/nodes",
              Duration.ofSeconds(60),
              "a verdict on all three nodes",
              j ->
                  count(j, h -> h.equals("DRAINED")) == 1
                      && count(j, h -> h.equals("SUSPECT")) == 2);
      int drainedInSlurm = 0;
      for (String node : nodes) {
        if (scontrol(node).contains("DRAIN")) {
          drainedInSlurm++;
        }
      }
      assertThat(drainedInSlurm).isEqualTo(1);
      for (JsonNode n : all.path("items")) {
        if (n.path("health").asText().equals("SUSPECT")) {
          assertThat(n.path("reason").asText())
              .contains("drain held")
              .contains("an operator should look");
        }
      }
    } finally {
      cleanUp(root, jobs, nodes, null);
    }
  }

  private static int count(JsonNode page, Predicate<String> health) {
    int n = 0;
    for (JsonNode node : page.path("items")) {
      if (health.test(node.path("health").asText())) {
        n++;
      }
    }
    return n;
  }

  private static long submit(Path root, String name, String script)
      throws IOException, InterruptedException {
    Path dir = Files.createDirectories(root.resolve(name));
    Files.writeString(dir.resolve("job.sh"), script);
    return SlurmCluster.sbatch(dir, "-J", name, "-p", "debug", "job.sh");
  }

  /** The node the job's attempt runs on, once ajr shows it running. */
  private static String awaitRunningNode(ApiClient api, long id, int attempt) throws Exception {
    JsonNode job =
        api.await(
            "/api/v1/jobs/" + id,
            Duration.ofSeconds(90),
            "attempt " + attempt + " of job " + id + " running",
            j -> {
              JsonNode a = j.path("attempts").get(attempt);
              return a != null && a.path("state").asText().equals("RUNNING");
            });
    return job.path("attempts").get(attempt).path("nodes").get(0).asText();
  }

  private static String scontrol(String node) throws IOException, InterruptedException {
    return SlurmCluster.run(Path.of("."), List.of("scontrol", "show", "node", "-o", node));
  }

  private static void cleanUp(Path root, List<Long> jobs, List<String> nodes, Process agent)
      throws IOException, InterruptedException {
    if (agent != null) {
      agent.destroyForcibly().waitFor();
    }
    for (long id : jobs) {
      SlurmCluster.run(root, List.of("scancel", Long.toString(id)));
    }
    for (String node : nodes) {
      if (scontrol(node).contains("DRAIN")) {
        SlurmCluster.run(root, List.of("scontrol", "update", "NodeName=" + node, "State=RESUME"));
      }
    }
  }
}
