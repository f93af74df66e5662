package dev.ajr.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ajr.core.json.Json;
import dev.ajr.core.testing.FakeScheduler;
import dev.ajr.core.testing.Fixtures;
import dev.ajr.core.testing.MemoryNodeControl;
import dev.ajr.core.testing.SchedulerJobBuilder;
import dev.ajr.server.app.AjrServer;
import dev.ajr.server.config.AjrConfig;
import dev.ajr.server.config.ConfigLoader;
import dev.ajr.server.events.TestBroker;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard grafana/ajr-operations.json against a real server: one with every part that
 * reports on (the log follower, RabbitMQ events, a notification destination, the metrics port and
 * token) detects a segfault in a job's output and takes a line from an agent; then every metric the
 * dashboard's queries name is in what /metrics serves, and every ajr_ meter is documented.
 */
class OperationsDashboardTest {

  private static final Path DASHBOARD = Path.of("..", "grafana", "ajr-operations.json");
  private static final Pattern METRIC =
      Pattern.compile("\\b((?:ajr|hikaricp|jvm|process|system)_[a-z0-9_]+)\\b");
  private static final String TOKEN = "scrape-token-0123456789";

  @TempDir Path dir;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** The metric names the dashboard's queries (and its variables) use. */
  static Set<String> dashboardMetrics() throws IOException {
    JsonNode dashboard = Json.MAPPER.readTree(DASHBOARD.toFile());
    Set<String> names = new TreeSet<>();
    for (JsonNode expr : dashboard.findValues("expr")) {
      names.addAll(metrics(expr.asText()));
    }
    for (JsonNode definition : dashboard.findValues("definition")) {
      names.addAll(metrics(definition.asText()));
    }
    return names;
  }

  private static Set<String> metrics(String query) {
    Set<String> names = new TreeSet<>();
    Matcher m = METRIC.matcher(query);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  /** Whether the scrape has a sample of this name (not only its HELP and TYPE lines). */
  private static boolean hasSample(String scrape, String name) {
    return scrape.lines().anyMatch(l -> l.startsWith(name + "{") || l.startsWith(name + " "));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private AjrConfig config(TestBroker broker, int metricsPort) throws IOException {
    Path yaml =
        Files.writeString(
            dir.resolve("ajr.yaml"),
            """
            notifications:
              retries: 0
              destinations:
                - name: hook
                  type: webhook
                  url: http://127.0.0.1:1/hook
                  digest-window: 0s
            """);
    Files.writeString(dir.resolve("metrics.token"), TOKEN + "\n");
    return ConfigLoader.load(
        yaml,
        Map.of(
            "data-dir",
            dir.resolve("data").toString(),
            "server.port",
            "0",
            "events.amqp-url",
            TestBroker.URL,
            "events.exchange",
            broker.exchange,
            "metrics.port",
            Integer.toString(metricsPort),
            "metrics.token-file",
            dir.resolve("metrics.token").toString()),
        Map.of());
  }

  /** Job 24 runs on node1 and writes to slurm-24.out in the test's directory. */
  private FakeScheduler oneJob() {
    Instant now = Instant.now();
    return new FakeScheduler(Clock.systemUTC())
        .put(
            SchedulerJobBuilder.job(24)
                .comment("{\"APS\": {\"auto_resume_mode\": \"requeue\", \"max_requeue_times\": 3}}")
                .startTime(now.minusSeconds(5))
                .beginTime(null)
                .nodes("node1")
                .workDir(dir.toString())
                .stdOut(dir.resolve("slurm-24.out").toString())
                .stdErr("")
                .build());
  }

  private HttpResponse<String> get(String url, String authorization) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String scrape(AjrServer server) throws Exception {
    HttpResponse<String> r = get(server.url() + "/metrics", "Bearer " + TOKEN);
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  private String awaitScrape(AjrServer server, String what, Predicate<String> done)
      throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    String text = scrape(server);
    while (!done.test(text)) {
      if (System.nanoTime() > end) {
        fail("timed out waiting for " + what + "; /metrics said:\n" + text);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
      text = scrape(server);
    }
    return text;
  }

  private void postAgentLine(AjrServer server) throws Exception {
    String agentToken = Files.readString(dir.resolve("data").resolve("agent.token")).strip();
    String batch =
        """
        {"node": "node1", "streams": [{"stream": "/local/train-24.log", "kind": "JOB_OUTPUT",
          "jobId": 24, "attempt": -1, "nodeLocal": true, "generation": "g1",
          "lines": [{"position": 1, "text": "step 10 loss 2.31", "writtenAt": "%s"}]}]}
        """
            .formatted(Instant.now());
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/agent/lines"))
                .header("Authorization", "Bearer " + agentToken)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(batch))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  @Test
  void everyMetricTheDashboardQueriesIsServedByAServerThatDetectedAFailure() throws Exception {
    Set<String> wanted = dashboardMetrics();
    assertThat(wanted)
        .contains("ajr_detection_delay_seconds_bucket", "hikaricp_connections_active");
    Files.writeString(
        dir.resolve("slurm-24.out"), "step 1 loss 2.5\n" + Fixtures.SEGFAULT_LINE + "\n");
    int metricsPort = freePort();
    try (TestBroker broker = new TestBroker("#");
        AjrServer server =
            new AjrServer(
                config(broker, metricsPort),
                oneJob(),
                new MemoryNodeControl("node1", "node2"),
                Clock.systemUTC())) {
      server.start();
      postAgentLine(server);
      System.gc(); // the JVM's pause timer appears with the first collection it sees

      String text =
          awaitScrape(
              server,
              "the segfault's detection, a finished action and a garbage collection",
              t ->
                  t.contains("ajr_detection_delay_seconds_count 1")
                      && t.contains("ajr_actions_total{")
                      && hasSample(t, "jvm_gc_pause_seconds_count"));

      assertThat(wanted.stream().filter(name -> !hasSample(text, name)).toList())
          .as("metrics the dashboard queries that /metrics does not serve")
          .isEmpty();
      assertThat(text)
          .contains("ajr_ingest_lines_total{path=\"file\"}")
          .contains("ajr_ingest_lines_total{path=\"agent\"} 1.0")
          .contains(
              "ajr_decisions_total{cause=\"crash_segfault\",mode=\"act\",operation=\"restart\"}");

      HttpResponse<String> open = get("http://127.0.0.1:" + metricsPort + "/metrics", null);
      assertThat(open.statusCode()).isEqualTo(200);
      assertThat(open.headers().firstValue("Content-Type")).contains(ServerMetrics.CONTENT_TYPE);
      assertThat(open.body()).contains("ajr_detection_delay_seconds_count 1");
      assertThat(get("http://127.0.0.1:" + metricsPort + "/healthz", null).statusCode())
          .isEqualTo(404);

      HttpResponse<String> ready = get(server.url() + "/readyz", null);
      assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
      assertThat(Json.MAPPER.readTree(ready.body()).get("checks").get("slurm").asText())
          .isEqualTo("ok");
    }
  }

  @Test
  void everyAjrMeterIsDocumentedForOperators() throws IOException {
    String operations = Files.readString(Path.of("..", "docs", "operations.md"));
    for (AjrMeters.Described meter : AjrMeters.CATALOG) {
      assertThat(operations)
          .as("docs/operations.md names " + meter.prometheusName())
          .contains("`" + meter.prometheusName() + "`");
    }
    for (String name : dashboardMetrics()) {
      if (name.startsWith("ajr_") && !name.startsWith("ajr_rabbitmq_")) {
        String base = name.replaceAll("_(bucket|sum|count)$", "");
        assertThat(AjrMeters.CATALOG)
            .as("the dashboard's " + name + " is one of AjrMeters.CATALOG")
            .anyMatch(m -> m.prometheusName().equals(base));
      }
    }
  }
}
