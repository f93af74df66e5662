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
import dev.ajr.core.job.AutoResumeMode;
import dev.ajr.core.job.Directive;
import dev.ajr.core.job.DirectiveResult;
import dev.ajr.core.job.Job;
import dev.ajr.core.job.JobStatus;
import dev.ajr.core.policy.ActionKind;
import dev.ajr.core.policy.Operation;
import dev.ajr.core.recovery.Action;
import dev.ajr.core.recovery.ActionState;
import dev.ajr.core.recovery.Decision;
import dev.ajr.core.recovery.DecisionState;
import dev.ajr.server.auth.Role;
import dev.ajr.server.auth.UserStore;
import dev.ajr.server.store.Database;
import dev.ajr.server.store.SqlRecoveryStore;
import java.io.IOException;
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
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiServerTest {

  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final String ADMIN = BasicAuth.header("admin", "admin-pass");
  private static final String ALICE = BasicAuth.header("alice", "alice-pass");

  private final Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir static Path dataDir;
  private Database db;
  private SqlRecoveryStore store;
  private UserStore users;
  private ApiServer server;
  private long aliceDecisionId;
  private final java.util.concurrent.atomic.AtomicBoolean slurmReachable =
      new java.util.concurrent.atomic.AtomicBoolean(true);

  @BeforeAll
  void startServer() throws IOException {
    db = Database.openSqlite(dataDir);
    store = new SqlRecoveryStore(db, clock);
    users = new UserStore(db, clock);
    users.putUser("admin", "admin-pass", Role.ADMIN);
    users.putUser("alice", "alice-pass", Role.VIEWER);
    seed();
    server =
        TestApi.on(db, clock).store(store).users(users).slurmReachable(slurmReachable::get).start();
  }

  @AfterAll
  void stopServer() {
    server.close();
    db.close();
  }

  private static Job job(long id, String user, DirectiveResult directive) {
    return new Job(
        id,
        "train-" + id,
        user,
        "gpu",
        "/home/" + user,
        "/home/" + user + "/slurm-" + id + ".out",
        "",
        "",
        directive,
        JobStatus.RUNNING,
        "",
        T0.minusSeconds(60),
        T0);
  }

  private void seed() {
    store.saveJob(
        job(
            10,
            "alice",
            new DirectiveResult.Valid(new Directive(AutoResumeMode.REQUEUE, OptionalInt.of(2)))));
    store.saveJob(job(11, "bob", DirectiveResult.ABSENT));
    store.saveJob(job(12, "alice", new DirectiveResult.Invalid("bad directive")));
    store.saveJob(job(13, "bob", DirectiveResult.ABSENT));

    store.saveAttempt(
        new Attempt(
            10,
            0,
            AttemptState.KILLED,
            List.of("node07"),
            T0,
            T0.plusSeconds(300),
            137,
            "NCCL error"));
    store.saveAttempt(
        new Attempt(
            10, 1, AttemptState.RUNNING, List.of("node08"), T0.plusSeconds(400), null, null, ""));
    Anomaly anomaly =
        store
            .addAnomaly(
                new Anomaly(
                    0,
                    10,
                    0,
                    AnomalyType.CRASH,
                    Cause.NCCL_ERROR,
                    "nccl-watchdog",
                    RecoveryAction.REQUEUE,
                    "NCCL watchdog thread terminated",
                    "/home/alice/slurm-10.out",
                    42,
                    "node07",
                    T0.plusSeconds(250),
                    T0.plusSeconds(251),
                    T0.plusSeconds(252),
                    Evidence.JOB_OUTPUT))
            .orElseThrow();
    Decision decision =
        store.addDecision(
            new Decision(
                0,
                10,
                0,
                Operation.RESTART,
                List.of("NCCL error", "1 of 2 recoveries used"),
                anomaly.id(),
                DecisionState.PLANNED,
                false,
                "",
                T0.plusSeconds(253),
                null),
            List.of(
                new Action(
                    0,
                    0,
                    0,
                    ActionKind.REQUEUE_HOLD,
                    10,
                    List.of(),
                    ActionState.PENDING,
                    0,
                    "",
                    null,
                    null),
                new Action(
                    0,
                    0,
                    1,
                    ActionKind.EXCLUDE_NODES,
                    10,
                    List.of("node07"),
                    ActionState.PENDING,
                    0,
                    "",
                    null,
                    null),
                new Action(
                    0,
                    0,
                    2,
                    ActionKind.RELEASE,
                    10,
                    List.of(),
                    ActionState.PENDING,
                    0,
                    "",
                    null,
                    null)));
    aliceDecisionId = decision.id();
    store.saveDecision(decision.withState(DecisionState.DONE, T0.plusSeconds(260)));
  }

  private HttpResponse<String> get(String path, String authorization)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .timeout(Duration.ofSeconds(20));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String authorization, String body)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .timeout(Duration.ofSeconds(20))
            .header("Authorization", authorization)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode body(HttpResponse<String> response) throws IOException {
    return json.readTree(response.body());
  }

  private List<Long> jobIds(JsonNode page) {
    List<Long> ids = new ArrayList<>();
    page.get("items").forEach(item -> ids.add(item.get("jobId").asLong()));
    return ids;
  }

  @Test
  void aRequestWithoutCredentialsIsUnauthenticated() throws Exception {
    HttpResponse<String> response = get("/api/v1/jobs", null);

    assertThat(response.statusCode()).isEqualTo(401);
    // never Basic: a browser would remember the password and send it for any site's request
    assertThat(response.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"ajr\"");
    assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
    JsonNode error = body(response).get("error");
    assertThat(error.get("code").asText()).isEqualTo("unauthenticated");
    assertThat(error.get("message").asText()).contains("Bearer");
  }

  @Test
  void aWrongPasswordIsUnauthenticated() throws Exception {
    HttpResponse<String> response = get("/api/v1/jobs", BasicAuth.header("admin", "nope"));

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(body(response).at("/error/code").asText()).isEqualTo("unauthenticated");
  }

  @Test
  void anAdminSeesAllJobsNewestFirstWithTheDefaultPage() throws Exception {
    HttpResponse<String> response = get("/api/v1/jobs", ADMIN);

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode page = body(response);
    assertThat(jobIds(page)).containsExactly(13L, 12L, 11L, 10L);
    assertThat(page.get("total").asInt()).isEqualTo(4);
    assertThat(page.get("limit").asInt()).isEqualTo(100);
    assertThat(page.get("offset").asInt()).isZero();
    JsonNode job10 = page.get("items").get(3);
    assertThat(job10.get("attempts").asInt()).isEqualTo(2);
    assertThat(job10.at("/directive/status").asText()).isEqualTo("VALID");
    assertThat(job10.at("/directive/mode").asText()).isEqualTo("requeue");
    assertThat(job10.at("/directive/maxRequeueTimes").asInt()).isEqualTo(2);
    assertThat(job10.get("firstSeen").asText()).isEqualTo("2026-03-01T10:00:00Z");
  }

  @Test
  void anAdminCanPageAndFilterByUser() throws Exception {
    JsonNode page = body(get("/api/v1/jobs?limit=2&offset=1", ADMIN));
    assertThat(jobIds(page)).containsExactly(12L, 11L);
    assertThat(page.get("total").asInt()).isEqualTo(4);
    assertThat(page.get("limit").asInt()).isEqualTo(2);
    assertThat(page.get("offset").asInt()).isEqualTo(1);

    assertThat(jobIds(body(get("/api/v1/jobs?user=bob", ADMIN)))).containsExactly(13L, 11L);
  }

  @Test
  void aViewerSeesOnlyTheirOwnJobs() throws Exception {
    HttpResponse<String> response = get("/api/v1/jobs", ALICE);

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode page = body(response);
    assertThat(jobIds(page)).containsExactly(12L, 10L);
    assertThat(page.get("total").asInt()).isEqualTo(2);
    page.get("items").forEach(item -> assertThat(item.get("user").asText()).isEqualTo("alice"));
  }

  @Test
  void aViewerAskingForAnotherUsersJobsIsForbidden() throws Exception {
    HttpResponse<String> response = get("/api/v1/jobs?user=bob", ALICE);

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(body(response).at("/error/code").asText()).isEqualTo("forbidden");
  }

  @Test
  void anotherUsersJobIsNotFoundForAViewer() throws Exception {
    HttpResponse<String> response = get("/api/v1/jobs/11", ALICE);

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(body(response).at("/error/code").asText()).isEqualTo("not_found");
    assertThat(get("/api/v1/jobs/11", ADMIN).statusCode()).isEqualTo(200);
  }

  @Test
  void anUnknownJobIsNotFound() throws Exception {
    HttpResponse<String> response = get("/api/v1/jobs/999", ADMIN);

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(body(response).at("/error/code").asText()).isEqualTo("not_found");
  }

  @Test
  void aLimitAboveTheMaximumIsABadRequest() throws Exception {
    HttpResponse<String> response = get("/api/v1/jobs?limit=251", ADMIN);

    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode error = body(response).get("error");
    assertThat(error.get("code").asText()).isEqualTo("bad_request");
    assertThat(error.get("message").asText()).contains("250");
    assertThat(get("/api/v1/jobs?limit=250", ADMIN).statusCode()).isEqualTo(200);
  }

  @Test
  void badPagingAndStatusValuesAreBadRequests() throws Exception {
    assertThat(get("/api/v1/jobs?limit=0", ADMIN).statusCode()).isEqualTo(400);
    assertThat(get("/api/v1/jobs?limit=ten", ADMIN).statusCode()).isEqualTo(400);
    assertThat(get("/api/v1/jobs?offset=-1", ADMIN).statusCode()).isEqualTo(400);
    HttpResponse<String> status = get("/api/v1/jobs?status=sleeping", ADMIN);
    assertThat(status.statusCode()).isEqualTo(400);
    assertThat(body(status).at("/error/message").asText()).contains("sleeping");
  }

  @Test
  void aStatusFilterIsCaseInsensitive() throws Exception {
    JsonNode page = body(get("/api/v1/jobs?status=running", ADMIN));

    assertThat(page.get("total").asInt()).isEqualTo(4);
    assertThat(body(get("/api/v1/jobs?status=COMPLETED", ADMIN)).get("total").asInt()).isZero();
  }

  @Test
  void aJobsDetailHasItsAttemptsAnomaliesAndDecisionsWithActions() throws Exception {
    HttpResponse<String> response = get("/api/v1/jobs/10", ALICE);

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode detail = body(response);
    assertThat(detail.at("/job/jobId").asLong()).isEqualTo(10);
    assertThat(detail.at("/job/user").asText()).isEqualTo("alice");
    assertThat(detail.get("stdOut").asText()).isEqualTo("/home/alice/slurm-10.out");

    JsonNode attempts = detail.get("attempts");
    assertThat(attempts).hasSize(2);
    assertThat(attempts.get(0).get("state").asText()).isEqualTo("KILLED");
    assertThat(attempts.get(0).get("exitCode").asInt()).isEqualTo(137);
    assertThat(attempts.get(0).get("nodes").get(0).asText()).isEqualTo("node07");
    assertThat(attempts.get(1).get("state").asText()).isEqualTo("RUNNING");
    assertThat(attempts.get(1).get("endTime").isNull()).isTrue();

    JsonNode anomalies = detail.get("anomalies");
    assertThat(anomalies).hasSize(1);
    assertThat(anomalies.get(0).get("cause").asText()).isEqualTo("NCCL_ERROR");
    assertThat(anomalies.get(0).get("rule").asText()).isEqualTo("nccl-watchdog");
    assertThat(anomalies.get(0).get("lineNumber").asLong()).isEqualTo(42);
    assertThat(anomalies.get(0).get("excerpt").isArray()).isTrue(); // none stored: empty
    long anomalyId = anomalies.get(0).get("id").asLong();

    JsonNode decisions = detail.get("decisions");
    assertThat(decisions).hasSize(1);
    JsonNode decision = decisions.get(0);
    assertThat(decision.get("id").asLong()).isEqualTo(aliceDecisionId);
    assertThat(decision.get("operation").asText()).isEqualTo("RESTART");
    assertThat(decision.get("state").asText()).isEqualTo("DONE");
    assertThat(decision.get("anomalyId").asLong()).isEqualTo(anomalyId);
    assertThat(decision.get("reasons").get(1).asText()).isEqualTo("1 of 2 recoveries used");
    List<String> kinds = new ArrayList<>();
    decision.get("actions").forEach(a -> kinds.add(a.get("kind").asText()));
    assertThat(kinds).containsExactly("REQUEUE_HOLD", "EXCLUDE_NODES", "RELEASE");
    assertThat(decision.get("actions").get(1).get("nodes").get(0).asText()).isEqualTo("node07");
  }

  @Test
  void anInvalidDirectiveShowsItsProblem() throws Exception {
    JsonNode detail = body(get("/api/v1/jobs/12", ALICE));

    assertThat(detail.at("/job/directive/status").asText()).isEqualTo("INVALID");
    assertThat(detail.at("/job/directive/problem").asText()).isEqualTo("bad directive");
    assertThat(detail.get("attempts")).isEmpty();
  }

  @Test
  void theOpenApiDocumentIsServedToAuthenticatedCallers() throws Exception {
    HttpResponse<String> response = get("/api/v1/openapi.yaml", ALICE);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/yaml");
    assertThat(response.body()).contains("openapi: 3");
    assertThat(get("/api/v1/openapi.yaml", null).statusCode()).isEqualTo(401);
  }

  @Test
  void meNamesTheCallerAndRole() throws Exception {
    JsonNode me = body(get("/api/v1/me", ALICE));

    assertThat(me.get("username").asText()).isEqualTo("alice");
    assertThat(me.get("role").asText()).isEqualTo("viewer");
  }

  @Test
  void aTokenCreatedByPostWorksAsBearer() throws Exception {
    HttpResponse<String> created = post("/api/v1/tokens", ALICE, "{\"name\": \"ci\"}");

    assertThat(created.statusCode()).isEqualTo(201);
    JsonNode body = body(created);
    assertThat(body.get("name").asText()).isEqualTo("ci");
    assertThat(body.get("username").asText()).isEqualTo("alice");
    String token = body.get("token").asText();
    assertThat(token).startsWith("ajr_");

    HttpResponse<String> me = get("/api/v1/me", "Bearer " + token);
    assertThat(me.statusCode()).isEqualTo(200);
    assertThat(body(me).get("username").asText()).isEqualTo("alice");
    assertThat(jobIds(body(get("/api/v1/jobs", "Bearer " + token)))).containsExactly(12L, 10L);
    assertThat(get("/api/v1/me", "Bearer " + token + "x").statusCode()).isEqualTo(401);
  }

  @Test
  void aTokenRequestWithoutABodyGetsADefaultName() throws Exception {
    HttpResponse<String> created = post("/api/v1/tokens", ADMIN, "");

    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(body(created).get("name").asText()).isEqualTo("token");
  }

  @Test
  void aTokenRequestWithABodyThatIsNotJsonIsABadRequest() throws Exception {
    HttpResponse<String> response = post("/api/v1/tokens", ADMIN, "name=ci");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(body(response).at("/error/code").asText()).isEqualTo("bad_request");
  }

  @Test
  void aTokenRequestWhoseBodyIsJsonButNotAnObjectIsABadRequest() throws Exception {
    for (String body : List.of("null", "[1, 2]", "\"ci\"")) {
      HttpResponse<String> response = post("/api/v1/tokens", ADMIN, body);

      assertThat(response.statusCode()).as(body).isEqualTo(400);
      assertThat(body(response).at("/error/code").asText()).isEqualTo("bad_request");
    }
  }

  @Test
  void theWrongMethodIsNotAllowed() throws Exception {
    HttpResponse<String> response = post("/api/v1/jobs", ADMIN, "{}");

    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(body(response).at("/error/code").asText()).isEqualTo("method_not_allowed");
  }

  @Test
  void theWrongMethodNamesTheMethodsThePathHas() throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/api/v1/tokens"))
                .header("Authorization", ADMIN)
                .DELETE()
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.headers().firstValue("Allow")).contains("GET, POST");
    assertThat(body(response).at("/error/message").asText()).isEqualTo("use GET or POST");
    HttpResponse<String> login = get("/auth/login", null);
    assertThat(login.statusCode()).as("an open path needs no credentials").isEqualTo(405);
    assertThat(login.headers().firstValue("Allow")).contains("POST");
  }

  @Test
  void aPathParameterOfTheWrongShapeIsNotFound() throws Exception {
    for (String path : List.of("/api/v1/jobs/ten", "/api/v1/jobs/1234567890123456789")) {
      HttpResponse<String> response = get(path, ADMIN);
      assertThat(response.statusCode()).as(path).isEqualTo(404);
      assertThat(body(response).at("/error/code").asText()).isEqualTo("not_found");
    }
  }

  @Test
  void anUnknownApiPathAsksForCredentialsFirst() throws Exception {
    assertThat(get("/api/v1/nothing-here", null).statusCode()).isEqualTo(401);
    assertThat(post("/api/v1/jobs/10", BasicAuth.header("admin", "nope"), "{}").statusCode())
        .isEqualTo(401);
  }

  @Test
  void everyAnswerCarriesTheSecurityHeadersAndJsonIsNotCached() throws Exception {
    for (HttpResponse<String> r :
        List.of(
            get("/healthz", null),
            get("/api/v1/jobs", ALICE),
            get("/api/v1/nothing-here", null),
            get("/api/v1/jobs/11", ALICE))) {
      assertThat(r.headers().firstValue("X-Frame-Options")).as(r.uri().toString()).contains("DENY");
      assertThat(r.headers().firstValue("Content-Security-Policy")).isPresent();
      assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");
    }
  }

  @Test
  void anUnknownApiPathIsNotFoundAsJson() throws Exception {
    HttpResponse<String> response = get("/api/v1/nothing-here", ADMIN);

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(body(response).at("/error/code").asText()).isEqualTo("not_found");
  }

  @Test
  void aPageOutsideTheApiIsNotFoundAsJson() throws Exception {
    HttpResponse<String> response = get("/nothing-here", null);

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(body(response).at("/error/code").asText()).isEqualTo("not_found");
  }

  @Test
  void healthNeedsNoCredentials() throws Exception {
    HttpResponse<String> response = get("/healthz", null);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(body(response).get("status").asText()).isEqualTo("ok");
  }

  @Test
  void healthzSaysDegradedWhileSlurmCannotBeRead() throws Exception {
    slurmReachable.set(false);
    try {
      HttpResponse<String> response = get("/healthz", null);

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(body(response).get("status").asText()).isEqualTo("degraded");
      assertThat(body(response).get("slurm").asText()).isEqualTo("unreachable");
      assertThat(body(response).get("role").asText()).isEqualTo("single");
    } finally {
      slurmReachable.set(true);
    }
  }
}
