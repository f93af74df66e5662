package dev.ajr.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ajr.core.json.Json;
import dev.ajr.server.auth.Role;
import dev.ajr.server.auth.UserStore;
import dev.ajr.server.metrics.ServerMetrics;
import dev.ajr.server.store.Database;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who reads {@code /metrics} on the API's port (operators, administrators and the metrics token;
 * not viewers, agents or anonymous callers), and what {@code /readyz} answers without credentials.
 */
class MetricsAccessTest {

  private static final String TOKEN = "metrics-token-abcdef";
  private static final String TEXT = "# TYPE ajr_test_total counter\najr_test_total 3.0\n";

  @TempDir Path dir;
  private Database db;
  private ApiServer server;
  private volatile Readiness readiness = new Readiness(Map.of("database", "ok"), List.of());
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void start() throws Exception {
    db = Database.openSqlite(dir);
    UserStore users = new UserStore(db, Clock.systemUTC());
    users.putUser("olga", "olga-pass", Role.OPERATOR);
    users.putUser("vera", "vera-pass", Role.VIEWER);
    server =
        TestApi.on(db, Clock.systemUTC())
            .users(users)
            .metrics(new MetricsScrape(() -> TEXT, TOKEN))
            .readiness(() -> readiness)
            .start();
  }

  @AfterEach
  void stop() {
    server.close();
    db.close();
  }

  private HttpResponse<String> get(String path, String authorization) throws Exception {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).GET();
    if (authorization != null) {
      r.header("Authorization", authorization);
    }
    return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void anOperatorReadsTheMetricsInPrometheusTextFormat() throws Exception {
    HttpResponse<String> r = get("/metrics", BasicAuth.header("olga", "olga-pass"));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).contains(ServerMetrics.CONTENT_TYPE);
    assertThat(r.body()).isEqualTo(TEXT);
  }

  @Test
  void theMetricsTokenReadsThemWithoutAUser() throws Exception {
    HttpResponse<String> r = get("/metrics", "Bearer " + TOKEN);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(TEXT);
  }

  @Test
  void viewersWrongTokensAndAnonymousCallersAreRefused() throws Exception {
    assertThat(get("/metrics", null).statusCode()).isEqualTo(401);
    assertThat(get("/metrics", "Bearer " + TOKEN + "x").statusCode()).isEqualTo(401);
    HttpResponse<String> viewer = get("/metrics", BasicAuth.header("vera", "vera-pass"));
    assertThat(viewer.statusCode()).isEqualTo(403);
    assertThat(viewer.body()).contains("metrics token").doesNotContain(TOKEN);
  }

  @Test
  void theMetricsTokenOpensNothingElse() throws Exception {
    assertThat(get("/api/v1/jobs", "Bearer " + TOKEN).statusCode()).isEqualTo(401);
  }

  @Test
  void withoutAMetricsTokenNoBearerReadsTheMetrics() throws Exception {
    server.close();
    server = TestApi.on(db, Clock.systemUTC()).metrics(new MetricsScrape(() -> TEXT, "")).start();
    assertThat(get("/metrics", "Bearer ").statusCode()).isEqualTo(401);
    assertThat(get("/metrics", "Bearer").statusCode()).isEqualTo(401);
  }

  @Test
  void readinessNamesWhatIsNotReadyWith503() throws Exception {
    HttpResponse<String> ready = get("/readyz", null);
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(Json.MAPPER.readTree(ready.body()).get("status").asText()).isEqualTo("ready");

    readiness =
        new Readiness(
            Map.of("database", "ok", "migrations", "ok", "slurm", "unreachable at the last read"),
            List.of("slurm"));
    HttpResponse<String> notReady = get("/readyz", null);

    assertThat(notReady.statusCode()).isEqualTo(503);
    JsonNode body = Json.MAPPER.readTree(notReady.body());
    assertThat(body.get("status").asText()).isEqualTo("not ready");
    assertThat(body.get("notReady")).extracting(JsonNode::asText).containsExactly("slurm");
    assertThat(body.at("/checks/slurm").asText()).isEqualTo("unreachable at the last read");
  }
}
