package dev.ajr.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ajr.core.detect.Cause;
import dev.ajr.core.detect.Evidence;
import dev.ajr.core.detect.RecoveryAction;
import dev.ajr.core.event.AjrEvent;
import dev.ajr.core.node.NodeEvidence;
import dev.ajr.core.node.NodeIsolator;
import dev.ajr.core.policy.Operation;
import dev.ajr.core.recovery.Decision;
import dev.ajr.core.recovery.DecisionState;
import dev.ajr.core.testing.MemoryNodeControl;
import dev.ajr.server.audit.EventAudit;
import dev.ajr.server.auth.Authenticator;
import dev.ajr.server.auth.Role;
import dev.ajr.server.auth.UserStore;
import dev.ajr.server.config.ConfigLoader;
import dev.ajr.server.config.EffectiveSettings;
import dev.ajr.server.events.InProcessEventBus;
import dev.ajr.server.rules.RuleCatalog;
import dev.ajr.server.store.Database;
import dev.ajr.server.store.KpiFixture;
import dev.ajr.server.store.SqlAuditLog;
import dev.ajr.server.store.SqlKpis;
import dev.ajr.server.store.SqlNodeStore;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The KPI, rule and diagnosis, audit, user, token and settings paths over HTTP, with every role, on
 * the recorded recovery of {@link KpiFixture} (alice's jobs).
 */
class AdminApiTest {

  private static final Instant T0 = KpiFixture.T0;
  private static final String PASSWORD = "a-long-password";

  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();
  private final InProcessEventBus bus = new InProcessEventBus();
  private Database db;
  private ApiServer server;
  private UserStore users;
  private NodeIsolator isolator;

  @BeforeEach
  void start(@TempDir Path dir) throws Exception {
    db = Database.openSqlite(dir);
    Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
    KpiFixture.seed(db, new SqlRecoveryStore(db, clock));
    users = new UserStore(db, Clock.systemUTC());
    users.putUser("admin", PASSWORD, Role.ADMIN);
    users.putUser("ops", PASSWORD, Role.OPERATOR);
    users.putUser("alice", PASSWORD, Role.VIEWER);
    users.putUser("agent", PASSWORD, Role.AGENT);
    SqlAuditLog audit = new SqlAuditLog(db, Clock.systemUTC());
    bus.subscribe(new EventAudit(audit));
    MemoryNodeControl slurm = new MemoryNodeControl("node1", "node2", "node3", "node4");
    SqlNodeStore nodes = new SqlNodeStore(db);
    isolator = slurm.isolator(nodes, bus::publish, Clock.systemUTC());
    Map<String, String> values =
        ConfigLoader.effectiveValues(
            null,
            Map.of(
                "database.url", "jdbc:mariadb://ajr:db-secret-pw@db.example:3306/ajr",
                "events.amqp-url", "amqp://ajr:amqp-secret-pw@mq.example:5672/",
                "loki.url", "http://loki.example:3100",
                "server.port", "8181"));
    server =
        TestApi.on(db, clock)
            .users(users)
            .auth(new Authenticator(users, Clock.systemUTC()))
            .nodes(new NodeEndpoints(nodes, isolator))
            .admin(
                new AdminEndpoints(
                    new SqlKpis(db),
                    RuleCatalog.builtIn(),
                    audit,
                    () -> EffectiveSettings.of(values),
                    clock))
            .start();
  }

  @AfterEach
  void stop() {
    server.close();
    db.close();
  }

  private HttpResponse<String> call(String method, String path, String user, String body)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .header("Authorization", BasicAuth.header(user, PASSWORD))
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .timeout(Duration.ofSeconds(20))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode ok(String method, String path, String user, String body) throws Exception {
    HttpResponse<String> r = call(method, path, user, body);
    assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isBetween(200, 201);
    return json.readTree(r.body());
  }

  private JsonNode get(String path, String user) throws Exception {
    return ok("GET", path, user, null);
  }

  private static List<String> fields(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static final String WINDOW = "?since=2026-11-26T12:00:00Z&until=2026-11-28T12:00:00Z";

  @Test
  void kpisOfTheClusterForOperatorsInTheDocumentedShape() throws Exception {
    JsonNode k = get("/api/v1/kpis" + WINDOW, "ops");

    assertThat(fields(k))
        .containsExactly(
            "since",
            "until",
            "goodput",
            "downtime",
            "mttr",
            "recoveriesByCause",
            "lemonNodes",
            "daily");
    assertThat(k.path("since").asText()).isEqualTo("2026-11-26T12:00:00Z");
    assertThat(fields(k.path("goodput"))).containsExactly("ratio", "runHours", "lostHours");
    double run = 30_300 + 58_100 + 30_500 + 30_000;
    assertThat(k.at("/goodput/ratio").asDouble()).isCloseTo((run - 15_000) / run, within(1e-9));
    assertThat(fields(k.path("downtime")))
        .containsExactly(
            "interruptions",
            "meanMs",
            "detectionMs",
            "shutdownMs",
            "waitingMs",
            "restartMs",
            "lostWorkMs");
    assertThat(k.at("/downtime/meanMs").asDouble()).isEqualTo(17_300);
    assertThat(fields(k.path("mttr"))).containsExactly("count", "meanMs", "p50Ms", "p90Ms");
    assertThat(k.at("/mttr/p90Ms").asLong()).isEqualTo(3_500);
    assertThat(k.at("/recoveriesByCause/0/cause").asText()).isEqualTo("CRASH_SEGFAULT");
    assertThat(k.at("/recoveriesByCause/0/count").asLong()).isEqualTo(1);
    assertThat(fields(k.at("/lemonNodes/0")))
        .containsExactly("node", "jobs", "anomalies", "health");
    assertThat(k.at("/lemonNodes/0/node").asText()).isEqualTo("node1");
    assertThat(k.at("/lemonNodes/0/health").asText()).isEqualTo("UNKNOWN");
    assertThat(k.path("daily")).hasSize(3);
    assertThat(fields(k.at("/daily/1")))
        .containsExactly("day", "recoveries", "failures", "goodputRatio");
    assertThat(k.at("/daily/1/day").asText()).isEqualTo("2026-11-27");
    assertThat(k.at("/daily/1/failures").asLong()).isEqualTo(3);
  }

  @Test
  void kpisOfAViewerAreTheirOwnWithoutNodesAndAgentsAreRefused() throws Exception {
    JsonNode alice = get("/api/v1/kpis" + WINDOW, "alice");
    assertThat(alice.at("/mttr/count").asLong()).isEqualTo(2);
    assertThat(alice.path("lemonNodes")).isEmpty();
    users.putUser("bob", PASSWORD, Role.VIEWER);
    JsonNode bob = get("/api/v1/kpis" + WINDOW, "bob");
    assertThat(bob.at("/mttr/count").asLong()).isZero();
    assertThat(bob.at("/goodput/ratio").isNull()).isTrue();

    assertThat(call("GET", "/api/v1/kpis", "agent", null).statusCode()).isEqualTo(403);
    assertThat(call("GET", "/api/v1/kpis?since=yesterday", "ops", null).statusCode())
        .isEqualTo(400);
    assertThat(call("POST", "/api/v1/kpis", "ops", "{}").statusCode()).isEqualTo(405);
    JsonNode lastWeek = get("/api/v1/kpis", "ops");
    assertThat(
            Duration.between(
                Instant.parse(lastWeek.path("since").asText()),
                Instant.parse(lastWeek.path("until").asText())))
        .isEqualTo(Duration.ofDays(7));
  }

  @Test
  void everyReadingRoleSeesTheRules() throws Exception {
    for (String user : List.of("alice", "ops", "admin")) {
      JsonNode rules = get("/api/v1/rules", user);
      assertThat(rules.path("items").size()).as(user).isGreaterThan(10);
    }
    JsonNode segfault = null;
    for (JsonNode r : get("/api/v1/rules", "alice").path("items")) {
      if (r.path("id").asText().equals("crash.segfault")) {
        segfault = r;
      }
    }
    assertThat(segfault).isNotNull();
    assertThat(fields(segfault))
        .containsExactly("id", "cause", "type", "action", "severity", "description", "patterns");
    assertThat(segfault.path("cause").asText()).isEqualTo("CRASH_SEGFAULT");
    assertThat(segfault.path("patterns")).isNotEmpty();
    assertThat(call("GET", "/api/v1/rules", "agent", null).statusCode()).isEqualTo(403);
  }

  @Test
  void aPastedSegfaultIsDiagnosedLikeClassifyDoes() throws Exception {
    String log =
        "epoch 3 step 100 loss 1.2\r\nRank0: (1) segmentation fault: artificial segfault\n"
            + "srun: error: node1: task 0: Exited with exit code 139\n";
    JsonNode d =
        ok("POST", "/api/v1/diagnose", "alice", json.writeValueAsString(Map.of("text", log)));

    assertThat(fields(d)).containsExactly("root", "findings", "summary");
    assertThat(d.at("/root/cause").asText()).isEqualTo("CRASH_SEGFAULT");
    assertThat(d.at("/root/rule").asText()).isEqualTo("crash.segfault");
    assertThat(d.at("/root/lineNumber").asInt()).isEqualTo(2);
    assertThat(d.at("/root/line").asText())
        .isEqualTo("Rank0: (1) segmentation fault: artificial segfault");
    assertThat(fields(d.path("root")))
        .containsExactly(
            "lineNumber",
            "line",
            "rule",
            "cause",
            "type",
            "action",
            "severity",
            "nodes",
            "devices");
    assertThat(d.path("summary").asText()).startsWith("CRASH_SEGFAULT (CRASH) at line 2");

    JsonNode nothing = ok("POST", "/api/v1/diagnose", "ops", "{\"text\": \"all is well\"}");
    assertThat(nothing.path("root").isNull()).isTrue();
    assertThat(nothing.path("summary").asText()).startsWith("No failure found");

    String big = "{\"text\": \"" + "x".repeat(1024 * 1024) + "\"}";
    assertThat(call("POST", "/api/v1/diagnose", "ops", big).statusCode()).isEqualTo(413);
    assertThat(call("POST", "/api/v1/diagnose", "ops", "{\"log\": 1}").statusCode()).isEqualTo(400);
    assertThat(call("POST", "/api/v1/diagnose", "ops", "not json").statusCode()).isEqualTo(400);
  }

  @Test
  void theAuditTrailHasAjrsDrainAndTheOperatorsUndrain() throws Exception {
    isolator.onEvidence(
        new NodeEvidence(
            "node3",
            24,
            0,
            Cause.GPU_HARDWARE,
            "gpu.xid.hardware",
            RecoveryAction.REQUEUE_EXCLUDE_NODE,
            "NVRM: Xid (PCI:0000:3b:00): 79",
            Evidence.KERNEL_LOG,
            Instant.now()));
    bus.publish(
        new AjrEvent.DecisionMade(
            new Decision(
                7,
                24,
                0,
                Operation.RESTART,
                List.of("segfault"),
                1,
                DecisionState.PLANNED,
                false,
                "",
                T0,
                null),
            List.of()));
    assertThat(call("POST", "/api/v1/nodes/node3/undrain", "ops", null).statusCode())
        .isEqualTo(200);

    JsonNode page = get("/api/v1/audit", "ops");
    List<String> rows = new ArrayList<>();
    page.path("items")
        .forEach(r ->
            rows.add(
                r.path("actor").asText()
                    + " "
                    + r.path("action").asText()
                    + " "
                    + r.path("target").asText()));
    assertThat(rows)
        .containsExactly(
            "ops node.undrain node:node3",
            "ajr decision.restart job:24",
            "ajr node.drained node:node3",
            "ajr node.drain-planned node:node3");
    assertThat(fields(page)).containsExactly("items", "total", "limit", "offset");
    assertThat(page.path("total").asInt()).isEqualTo(4);
    assertThat(fields(page.at("/items/0")))
        .containsExactly("id", "at", "actor", "action", "target", "detail", "count");
    JsonNode byOps = get("/api/v1/audit?actor=ops&limit=1", "admin");
    assertThat(byOps.path("items")).hasSize(1);
    assertThat(byOps.path("total").asInt()).isEqualTo(1);
    assertThat(get("/api/v1/audit?action=node.drained", "ops").path("total").asInt()).isOne();
    assertThat(get("/api/v1/audit?until=2000-01-01T00:00:00Z", "ops").path("total").asInt())
        .isZero();

    assertThat(call("GET", "/api/v1/audit", "alice", null).statusCode()).isEqualTo(403);
    assertThat(call("GET", "/api/v1/audit", "agent", null).statusCode()).isEqualTo(403);
    assertThat(call("GET", "/api/v1/audit?limit=251", "ops", null).statusCode()).isEqualTo(400);
  }

  @Test
  void administratorsManageUsersAndOthersAreRefused() throws Exception {
    for (String user : List.of("alice", "ops", "agent")) {
      assertThat(call("GET", "/api/v1/users", user, null).statusCode()).as(user).isEqualTo(403);
      assertThat(
              call(
                      "POST",
                      "/api/v1/users",
                      user,
                      "{\"username\": \"eve\", \"password\": \"a-long-password\", \"role\": \"admin\"}")
                  .statusCode())
          .as(user)
          .isEqualTo(403);
    }
    db.update("UPDATE users SET password_hash = '!ldap' WHERE username = 'ops'");
    JsonNode list = get("/api/v1/users", "admin");
    assertThat(list.path("total").asInt()).isEqualTo(4);
    assertThat(fields(list.at("/items/0")))
        .containsExactly("username", "role", "source", "createdAt");
    Map<String, String> sources = new HashMap<>();
    list.path("items")
        .forEach(u -> sources.put(u.path("username").asText(), u.path("source").asText()));
    assertThat(sources).containsEntry("ops", "ldap").containsEntry("alice", "local");

    HttpResponse<String> created =
        call(
            "POST",
            "/api/v1/users",
            "admin",
            "{\"username\": \"bob\", \"password\": \"a-long-password\", \"role\": \"operator\"}");
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(json.readTree(created.body()).path("role").asText()).isEqualTo("operator");
    assertThat(call("GET", "/api/v1/kpis", "bob", null).statusCode())
        .as("bob logs in with his password")
        .isEqualTo(200);
    assertThat(
            call(
                    "POST",
                    "/api/v1/users",
                    "admin",
                    "{\"username\": \"bob\", \"password\": \"a-long-password\", \"role\": \"viewer\"}")
                .statusCode())
        .isEqualTo(409);
    for (String bad :
        List.of(
            "{\"username\": \"Bob\", \"password\": \"a-long-password\", \"role\": \"viewer\"}",
            "{\"username\": \"carl\", \"password\": \"short\", \"role\": \"viewer\"}",
            "{\"username\": \"carl\", \"password\": \"a-long-password\", \"role\": \"root\"}",
            "{\"username\": \"carl\", \"password\": \"a-long-password\"}")) {
      assertThat(call("POST", "/api/v1/users", "admin", bad).statusCode()).as(bad).isEqualTo(400);
    }

    JsonNode changed = ok("PUT", "/api/v1/users/bob", "admin", "{\"role\": \"viewer\"}");
    assertThat(changed.path("role").asText()).isEqualTo("viewer");
    assertThat(
            call("PUT", "/api/v1/users/ops", "admin", "{\"password\": \"a-new-password\"}")
                .statusCode())
        .as("an LDAP user's password is the directory's")
        .isEqualTo(400);
    assertThat(call("PUT", "/api/v1/users/nobody", "admin", "{\"role\": \"viewer\"}").statusCode())
        .isEqualTo(404);

    JsonNode audit = get("/api/v1/audit?actor=admin", "admin");
    assertThat(audit.at("/items/0/action").asText()).isEqualTo("user.update");
    assertThat(audit.at("/items/0/detail").asText())
        .isEqualTo("role operator -> viewer; 0 browser session(s) ended; 0 API token(s) revoked");
    assertThat(audit.at("/items/1/action").asText()).isEqualTo("user.create");
    assertThat(audit.toString()).doesNotContain(PASSWORD);
  }

  @Test
  void theLastAdministratorStaysAndNobodyDeletesThemself() throws Exception {
    assertThat(call("DELETE", "/api/v1/users/admin", "admin", null).statusCode()).isEqualTo(409);
    HttpResponse<String> demote =
        call("PUT", "/api/v1/users/admin", "admin", "{\"role\": \"viewer\"}");
    assertThat(demote.statusCode()).isEqualTo(409);
    assertThat(json.readTree(demote.body()).at("/error/code").asText()).isEqualTo("last_admin");

    ok(
        "POST",
        "/api/v1/users",
        "admin",
        "{\"username\": \"root2\", \"password\": \"a-long-password\", \"role\": \"admin\"}");
    assertThat(call("DELETE", "/api/v1/users/admin", "root2", null).statusCode()).isEqualTo(204);
    HttpResponse<String> last =
        call("PUT", "/api/v1/users/root2", "root2", "{\"role\": \"operator\"}");
    assertThat(last.statusCode()).isEqualTo(409);
    assertThat(users.user("root2").orElseThrow().role()).isEqualTo(Role.ADMIN);
    assertThat(call("GET", "/api/v1/users", "admin", null).statusCode())
        .as("the deleted administrator is gone")
        .isEqualTo(401);
  }

  @Test
  void everyoneManagesTheirOwnTokensOnlyAndDeletingAUserRevokesThem() throws Exception {
    JsonNode made = ok("POST", "/api/v1/tokens", "alice", "{\"name\": \"laptop\"}");
    String token = made.path("token").asText();
    JsonNode listed = get("/api/v1/tokens", "alice");
    assertThat(listed.path("items")).hasSize(1);
    assertThat(fields(listed.at("/items/0")))
        .containsExactly("id", "name", "createdAt", "expiresAt", "lastUsedAt");
    assertThat(listed.toString()).doesNotContain(token);
    long id = listed.at("/items/0/id").asLong();
    assertThat(get("/api/v1/tokens", "ops").path("items")).isEmpty();
    assertThat(call("DELETE", "/api/v1/tokens/" + id, "ops", null).statusCode()).isEqualTo(404);
    assertThat(call("DELETE", "/api/v1/tokens/" + id, "alice", null).statusCode()).isEqualTo(204);
    assertThat(get("/api/v1/tokens", "alice").path("items")).isEmpty();

    String second = ok("POST", "/api/v1/tokens", "alice", null).path("token").asText();
    assertThat(bearer(second)).isEqualTo(200);
    assertThat(call("DELETE", "/api/v1/users/alice", "admin", null).statusCode()).isEqualTo(204);
    assertThat(bearer(second)).as("the deleted user's token").isEqualTo(401);

    JsonNode audit = get("/api/v1/audit", "admin");
    List<String> actions = new ArrayList<>();
    audit.path("items").forEach(r -> actions.add(r.path("action").asText()));
    assertThat(actions)
        .containsExactly("user.delete", "token.create", "token.revoke", "token.create");
    assertThat(audit.toString()).doesNotContain(token).doesNotContain(second);
  }

  private int bearer(String token) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/v1/me"))
                .header("Authorization", "Bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  @Test
  void aRefusalSaysWhoMayCall() throws Exception {
    assertThat(message(call("GET", "/api/v1/kpis", "agent", null)))
        .isEqualTo("403 an agent token only sends log lines");
    assertThat(message(call("GET", "/api/v1/nodes", "agent", null)))
        .isEqualTo("403 an agent token only sends log lines");
    assertThat(message(call("GET", "/api/v1/audit", "alice", null)))
        .isEqualTo("403 GET /api/v1/audit is for operators and administrators");
    assertThat(message(call("PUT", "/api/v1/users/alice", "ops", "{\"role\": \"admin\"}")))
        .isEqualTo("403 PUT /api/v1/users/{name} is for administrators");
    assertThat(message(call("POST", "/api/v1/agent/lines", "alice", "{}")))
        .isEqualTo("403 only an agent, operator or admin token may send log lines");
    assertThat(call("GET", "/api/v1/me", "agent", null).statusCode()).isEqualTo(200);
    assertThat(users.user("alice").orElseThrow().role()).isEqualTo(Role.VIEWER);
  }

  private String message(HttpResponse<String> r) throws Exception {
    return r.statusCode() + " " + json.readTree(r.body()).at("/error/message").asText();
  }

  @Test
  void settingsAreForAdministratorsWithSecretsHidden() throws Exception {
    for (String user : List.of("alice", "ops", "agent")) {
      assertThat(call("GET", "/api/v1/settings", user, null).statusCode()).as(user).isEqualTo(403);
    }
    HttpResponse<String> r = call("GET", "/api/v1/settings", "admin", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).doesNotContain("db-secret-pw").doesNotContain("amqp-secret-pw");
    Map<String, JsonNode> byName = new HashMap<>();
    json.readTree(r.body()).path("items").forEach(s -> byName.put(s.path("name").asText(), s));
    assertThat(byName).hasSize(dev.ajr.server.config.OptionCatalog.ALL.size());
    JsonNode port = byName.get("server.port");
    assertThat(fields(port)).containsExactly("name", "value", "default", "description", "secret");
    assertThat(port.path("value").asText()).isEqualTo("8181");
    assertThat(port.path("default").asText()).isEqualTo("8080");
    assertThat(port.path("secret").asBoolean()).isFalse();
    assertThat(byName.get("database.url").path("value").asText()).isEqualTo("(set)");
    assertThat(byName.get("database.url").path("secret").asBoolean()).isTrue();
    assertThat(byName.get("events.amqp-url").path("value").asText()).isEqualTo("(set)");
    assertThat(byName.get("loki.url").path("value").asText()).isEqualTo("http://loki.example:3100");
    assertThat(byName.get("database.password-file").path("value").asText()).isEqualTo("(not set)");
    assertThat(byName.get("database.password-file").path("secret").asBoolean()).isTrue();
  }
}
