package dev.ajr.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ajr.server.app.AjrServer;
import dev.ajr.server.auth.Role;
import dev.ajr.slurm.ProcessCommandRunner;
import dev.ajr.slurm.SlurmCliScheduler;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tracking driven by slurmctld's hooks, as on a cluster whose queue is so large that listings come
 * rarely: the server lists the queue about once a minute and a half ({@code slurm.max-poll-share}
 * tiny), the dev cluster's {@code PrologSlurmctld}/{@code EpilogSlurmctld} run ajr's hook script
 * ({@code packaging/slurm/ajr-slurmctld-hook}) with this server in its {@code hook.d}, and the
 * guide's verification job must still be followed from its start and recover with the exact five
 * steps.
 */
class SlurmHooksIT {

  private static final String PASSWORD = "it-" + UUID.randomUUID();
  private static final Pattern POLLS = Pattern.compile("(?m)^ajr_poll_seconds_count\\S* (\\S+)$");
  private static final Pattern TOLD =
      Pattern.compile("(?m)^ajr_slurm_told_total\\{[^}]*outcome=\"looked_at\"[^}]*} (\\S+)$");

  private static Path root;
  private static Path hookConf;
  private static AjrServer server;
  private static ApiClient api;
  private static long job;
  private static Path dir;

  @BeforeAll
  static void start() throws Exception {
    SlurmCluster.requireRunning();
    Path hooks =
        Path.of(System.getenv().getOrDefault("AJR_DEV_CLUSTER_DIR", "/var/lib/ajr-dev-cluster"))
            .resolve("hook.d");
    if (!Files.isDirectory(hooks)) {
      fail(
          hooks
              + " is missing: the dev cluster predates ajr's slurmctld hook; run ./ajr"
              + " dev-cluster up again");
    }
    root = Files.createTempDirectory("ajr-it-hooks-");
    server =
        new AjrServer(
            SlurmCluster.serverConfig(
                root, Map.of("slurm.poll-interval", "1s", "slurm.max-poll-share", "0.0005")));
    server.users().putUser("it-admin", PASSWORD, Role.ADMIN);
    server.start();
    api = new ApiClient(server.url(), "it-admin", PASSWORD);
    hookConf = hooks.resolve("it-" + UUID.randomUUID() + ".conf");
    Files.writeString(
        hookConf,
        "url=" + server.url() + "\ntoken-file=" + root.resolve("data/agent.token") + "\n");

    awaitMetric(POLLS, 1, "the server's first listing of the queue");
    dir = Files.createDirectories(root.resolve("verification"));
    job = GuideVerification.submit(dir);
  }

  @AfterAll
  static void stop() throws Exception {
    if (hookConf != null) {
      Files.deleteIfExists(hookConf);
    }
    if (job != 0) {
      try {
        SlurmCluster.run(root, List.of("scancel", Long.toString(job)));
      } catch (IOException e) {
        // already gone
      }
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void theGuidesJobIsFollowedFromItsStartAndRecoversWithoutWaitingForListings() throws Exception {
    api.await(
        "/api/v1/jobs/" + job,
        Duration.ofSeconds(60),
        "job " + job + " to be known to ajr",
        j -> j.at("/job/jobId").asLong() == job);
    assertThat(metric(POLLS))
        .as("the job was found through the hook, before a second listing of the queue")
        .isEqualTo(1);

    JsonNode stopped =
        api.await(
            "/api/v1/jobs/" + job,
            RecoveryOnSlurmContract.PATIENCE,
            "the verification job to be stopped",
            j -> "STOPPED".equals(j.at("/job/status").asText()));
    GuideVerification.assertRecovered(
        stopped,
        new SlurmCliScheduler(new ProcessCommandRunner(), Duration.ofSeconds(30)),
        dir,
        job);
    GuideVerification.report(stopped);
    assertThat(metric(TOLD))
        .as("slurmctld told of the starts and ends of both attempts")
        .isGreaterThanOrEqualTo(2);
    System.out.printf("listings of the queue while the job recovered: %.0f%n", metric(POLLS));
  }

  private static void awaitMetric(Pattern pattern, double atLeast, String what) throws Exception {
    Instant deadline = Instant.now().plusSeconds(60);
    while (metric(pattern) < atLeast) {
      assertThat(Instant.now()).as("waiting for " + what).isBefore(deadline);
      Thread.sleep(100);
    }
  }

  /** The value of the first sample the pattern finds in /metrics, 0 when there is none. */
  private static double metric(Pattern pattern) throws Exception {
    HttpResponse<String> scrape =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(server.url() + "/metrics"))
                    .header(
                        "Authorization",
                        "Basic "
                            + Base64.getEncoder()
                                .encodeToString(
                                    ("it-admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(scrape.statusCode()).as(scrape.body()).isEqualTo(200);
    Matcher m = pattern.matcher(scrape.body());
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }
}
