package dev.ajr.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ajr.core.detect.Anomaly;
import dev.ajr.core.detect.AnomalyType;
import dev.ajr.core.detect.Cause;
import dev.ajr.core.detect.Evidence;
import dev.ajr.core.detect.RecoveryAction;
import dev.ajr.core.job.Attempt;
import dev.ajr.core.job.AttemptState;
import dev.ajr.core.job.DirectiveResult;
import dev.ajr.core.job.Job;
import dev.ajr.core.job.JobStatus;
import dev.ajr.core.policy.Operation;
import dev.ajr.core.recovery.Decision;
import dev.ajr.core.recovery.DecisionState;
import dev.ajr.server.auth.Role;
import dev.ajr.server.auth.UserStore;
import dev.ajr.server.store.Database;
import dev.ajr.server.store.SqlRecoveryStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /api/v1/jobs} with its filters and timelines, and {@code GET /api/v1/jobs/facets}. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobRoutesTest {

  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final String ADMIN = BasicAuth.header("admin", "admin-pass");
  private static final String ALICE = BasicAuth.header("alice", "alice-pass");
  private static final String AGENT = BasicAuth.header("agent", "agent-pass");

  private final Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();

  @TempDir static Path dataDir;
  private Database db;
  private ApiServer server;
  private long segfaultId;
  private long decisionId;

  @BeforeAll
  void startServer() throws Exception {
    db = Database.openSqlite(dataDir);
    SqlRecoveryStore store = new SqlRecoveryStore(db, clock);
    UserStore users = new UserStore(db, clock);
    users.putUser("admin", "admin-pass", Role.ADMIN);
    users.putUser("alice", "alice-pass", Role.VIEWER);
    users.putUser("agent", "agent-pass", Role.AGENT);
    store.saveJob(job(20, "alice", "gpu", "llama-pretrain", T0.plusSeconds(10)));
    store.saveJob(job(21, "bob", "debug", "bert-eval", T0.plusSeconds(20)));
    store.saveAttempt(
        new Attempt(
            20,
            0,
            AttemptState.KILLED,
            List.of("node07"),
            T0.plusSeconds(30),
            T0.plusSeconds(90),
            139,
            "killed by ajr"));
    store.saveAttempt(
        new Attempt(
            20, 1, AttemptState.RUNNING, List.of("node08"), T0.plusSeconds(100), null, null, ""));
    Anomaly segfault =
        store
            .addAnomaly(
                new Anomaly(
                    0,
                    20,
                    0,
                    AnomalyType.CRASH,
                    Cause.CRASH_SEGFAULT,
                    "crash.segfault",
                    RecoveryAction.REQUEUE,
                    "Rank0: segmentation fault",
                    "/home/alice/out.log",
                    42,
                    "node07",
                    T0.plusSeconds(60),
                    T0.plusSeconds(61),
                    T0.plusSeconds(61),
                    Evidence.JOB_OUTPUT))
            .orElseThrow();
    segfaultId = segfault.id();
    decisionId =
        store
            .addDecision(
                new Decision(
                    0,
                    20,
                    0,
                    Operation.RESTART,
                    List.of("recovery 1 of 2"),
                    segfaultId,
                    DecisionState.DONE,
                    false,
                    "",
                    T0.plusSeconds(62),
                    T0.plusSeconds(70)),
                List.of())
            .id();
    server = TestApi.on(db, clock).store(store).users(users).start();
  }

  @AfterAll
  void stopServer() {
    server.close();
    db.close();
  }

  private static Job job(long id, String user, String partition, String name, Instant submit) {
    return new Job(
        id,
        name,
        user,
        partition,
        "/home/" + user,
        "/home/" + user + "/out.log",
        "",
        "",
        DirectiveResult.ABSENT,
        JobStatus.RUNNING,
        "",
        submit,
        T0,
        8);
  }

  private HttpResponse<String> get(String path, String authorization) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .timeout(Duration.ofSeconds(20))
            .header("Authorization", authorization)
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode ok(String path, String authorization) throws Exception {
    HttpResponse<String> response = get(path, authorization);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json.readTree(response.body());
  }

  private List<Long> ids(JsonNode page) {
    List<Long> ids = new ArrayList<>();
    page.get("items").forEach(item -> ids.add(item.get("jobId").asLong()));
    return ids;
  }

  private void assertBadRequest(String path, String... messageParts) throws Exception {
    HttpResponse<String> response = get(path, ADMIN);
    assertThat(response.statusCode()).as(path).isEqualTo(400);
    JsonNode error = json.readTree(response.body()).get("error");
    assertThat(error.get("code").asText()).isEqualTo("bad_request");
    assertThat(error.get("message").asText()).contains(messageParts);
  }

  @Test
  void eachItemKeepsTheSummaryFieldsAndGainsItsTimeline() throws Exception {
    JsonNode page = ok("/api/v1/jobs", ADMIN);
    assertThat(ids(page)).containsExactly(21L, 20L);
    JsonNode item = page.get("items").get(1);
    assertThat(item.fieldNames())
        .toIterable()
        .containsExactly(
            "jobId",
            "name",
            "user",
            "partition",
            "status",
            "statusReason",
            "directive",
            "attempts",
            "submitTime",
            "firstSeen",
            "gpus",
            "timeline");
    assertThat(item.get("attempts").asInt()).isEqualTo(2);
    JsonNode first = item.at("/timeline/0");
    assertThat(first.fieldNames())
        .toIterable()
        .containsExactly(
            "index",
            "state",
            "nodes",
            "startTime",
            "endTime",
            "exitCode",
            "endReason",
            "anomalies");
    assertThat(first.get("state").asText()).isEqualTo("KILLED");
    assertThat(first.at("/nodes/0").asText()).isEqualTo("node07");
    assertThat(first.get("exitCode").asInt()).isEqualTo(139);
    JsonNode anomaly = first.at("/anomalies/0");
    assertThat(anomaly.fieldNames())
        .toIterable()
        .containsExactly(
            "id",
            "type",
            "cause",
            "rule",
            "action",
            "line",
            "node",
            "evidence",
            "trusted",
            "lineWrittenAt",
            "detectedAt",
            "decision");
    assertThat(anomaly.get("id").asLong()).isEqualTo(segfaultId);
    assertThat(anomaly.get("cause").asText()).isEqualTo("CRASH_SEGFAULT");
    assertThat(anomaly.get("line").asText()).isEqualTo("Rank0: segmentation fault");
    assertThat(anomaly.get("lineWrittenAt").asText()).isEqualTo("2026-03-01T10:01:00Z");
    assertThat(anomaly.get("trusted").asBoolean()).isFalse();
    JsonNode decision = anomaly.get("decision");
    assertThat(decision.fieldNames())
        .toIterable()
        .containsExactly("id", "operation", "state", "reasons");
    assertThat(decision.get("id").asLong()).isEqualTo(decisionId);
    assertThat(decision.get("operation").asText()).isEqualTo("RESTART");
    assertThat(decision.at("/reasons/0").asText()).isEqualTo("recovery 1 of 2");
    JsonNode second = item.at("/timeline/1");
    assertThat(second.get("index").asInt()).isEqualTo(1);
    assertThat(second.get("endTime").isNull()).isTrue();
    assertThat(second.get("anomalies")).isEmpty();
  }

  @Test
  void filtersArriveAtTheBrowser() throws Exception {
    assertThat(ids(ok("/api/v1/jobs?cause=crash_segfault", ADMIN))).containsExactly(20L);
    assertThat(ids(ok("/api/v1/jobs?partition=debug", ADMIN))).containsExactly(21L);
    assertThat(ids(ok("/api/v1/jobs?q=20", ADMIN))).containsExactly(20L);
    assertThat(ids(ok("/api/v1/jobs?q=BERT", ADMIN))).containsExactly(21L);
    assertThat(ids(ok("/api/v1/jobs?since=2026-03-01T10:00:15Z", ADMIN))).containsExactly(21L);
    assertThat(ids(ok("/api/v1/jobs?until=2026-03-01T10:00:15Z", ADMIN))).containsExactly(20L);
    JsonNode none = ok("/api/v1/jobs?user=alice&partition=debug", ADMIN);
    assertThat(ids(none)).isEmpty();
    assertThat(none.get("total").asInt()).isZero();
  }

  @Test
  void emptyFilterValuesAreNoFilter() throws Exception {
    assertThat(ids(ok("/api/v1/jobs?user=&status=&cause=&partition=&since=&until=&q=", ADMIN)))
        .containsExactly(21L, 20L);
  }

  @Test
  void badFilterValuesAreBadRequestsSayingWhatIsAllowed() throws Exception {
    assertBadRequest("/api/v1/jobs?cause=gremlins", "gremlins", "CRASH_SEGFAULT", "HANG");
    assertBadRequest("/api/v1/jobs?status=sleeping", "sleeping", "RUNNING");
    assertBadRequest("/api/v1/jobs?since=yesterday", "since", "ISO-8601", "2026-03-01T10:00:00Z");
    assertBadRequest("/api/v1/jobs?until=2026-03-01", "until", "ISO-8601");
    assertBadRequest(
        "/api/v1/jobs?since=2026-03-02T00:00:00Z&until=2026-03-01T00:00:00Z", "before");
    assertBadRequest("/api/v1/jobs?q=1234567890123456789", "job id", "18 digits");
    assertBadRequest("/api/v1/jobs?limit=251", "250");
  }

  @Test
  void aViewerIsHeldToTheirOwnJobs() throws Exception {
    assertThat(ids(ok("/api/v1/jobs", ALICE))).containsExactly(20L);
    assertThat(ids(ok("/api/v1/jobs?user=alice&q=bert", ALICE))).isEmpty();
    assertThat(ids(ok("/api/v1/jobs?partition=debug", ALICE))).isEmpty();
    HttpResponse<String> other = get("/api/v1/jobs?user=bob", ALICE);
    assertThat(other.statusCode()).isEqualTo(403);
    assertThat(json.readTree(other.body()).at("/error/code").asText()).isEqualTo("forbidden");
  }

  @Test
  void facetsListTheValuesToFilterBy() throws Exception {
    JsonNode facets = ok("/api/v1/jobs/facets", ADMIN);
    assertThat(facets.toString())
        .isEqualTo(
            "{\"users\":[\"alice\",\"bob\"],\"partitions\":[\"debug\",\"gpu\"],"
                + "\"causes\":[\"CRASH_SEGFAULT\"],\"statuses\":[\"RUNNING\"]}");
  }

  @Test
  void aViewersFacetsHoldOnlyTheirOwnValues() throws Exception {
    JsonNode facets = ok("/api/v1/jobs/facets", ALICE);
    assertThat(facets.toString())
        .isEqualTo(
            "{\"users\":[\"alice\"],\"partitions\":[\"gpu\"],"
                + "\"causes\":[\"CRASH_SEGFAULT\"],\"statuses\":[\"RUNNING\"]}");
  }

  @Test
  void onlyGetIsAllowedAndAnAgentSeesNoJobs() throws Exception {
    HttpResponse<String> post =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/api/v1/jobs/facets"))
                .header("Authorization", ADMIN)
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(get("/api/v1/jobs/facets", AGENT).statusCode()).isEqualTo(403);
    assertThat(get("/api/v1/jobs", AGENT).statusCode()).isEqualTo(403);
  }
}
