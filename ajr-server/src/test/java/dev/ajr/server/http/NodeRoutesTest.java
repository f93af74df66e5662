package dev.ajr.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ajr.core.detect.Cause;
import dev.ajr.core.detect.Evidence;
import dev.ajr.core.detect.RecoveryAction;
import dev.ajr.core.node.NodeEvidence;
import dev.ajr.core.node.NodeIsolator;
import dev.ajr.core.node.NodeSettings;
import dev.ajr.core.recovery.Fence;
import dev.ajr.core.testing.MemoryNodeControl;
import dev.ajr.server.auth.Role;
import dev.ajr.server.auth.UserStore;
import dev.ajr.server.store.Database;
import dev.ajr.server.store.SqlAuditLog;
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
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node paths of the API: operators see and undrain nodes, viewers are refused. */
class NodeRoutesTest {

  private final MemoryNodeControl slurm = new MemoryNodeControl("node1", "node2", "node3", "node4");
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();
  private Database db;
  private ApiServer server;
  private NodeIsolator isolator;
  private SqlNodeStore store;
  private UserStore users;

  @BeforeEach
  void start(@TempDir Path dir) throws Exception {
    db = Database.openSqlite(dir);
    Clock clock = Clock.systemUTC();
    new SqlRecoveryStore(db, clock);
    users = new UserStore(db, clock);
    users.putUser("ops", "ops-pass", Role.OPERATOR);
    users.putUser("alice", "alice-pass", Role.VIEWER);
    store = new SqlNodeStore(db);
    isolator = slurm.isolator(store, e -> {}, clock);
    server = TestApi.on(db, clock).users(users).nodes(new NodeEndpoints(store, isolator)).start();
    isolator.onEvidence(
        new NodeEvidence(
            "node3",
            42,
            7,
            Cause.GPU_HARDWARE,
            "gpu.xid.hardware",
            RecoveryAction.REQUEUE_EXCLUDE_NODE,
            "NVRM: Xid (PCI:0000:3b:00): 79",
            Evidence.KERNEL_LOG,
            Instant.now()));
  }

  @AfterEach
  void stop() {
    server.close();
    db.close();
  }

  private HttpResponse<String> call(String method, String path, String user, String password)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .header("Authorization", BasicAuth.header(user, password))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void anOperatorSeesTheDrainedNodeWithItsEvidenceAndHistory() throws Exception {
    JsonNode all = json.readTree(call("GET", "/api/v1/nodes", "ops", "ops-pass").body());
    assertThat(all.path("items").get(0).path("health").asText()).isEqualTo("DRAINED");
    JsonNode one = json.readTree(call("GET", "/api/v1/nodes/node3", "ops", "ops-pass").body());
    assertThat(one.at("/node/evidence").asText()).contains("Xid");
    assertThat(one.path("events"))
        .extracting(e -> e.path("kind").asText())
        .containsExactly("DRAINED", "DRAIN_PLANNED", "IMPLICATED");
  }

  @Test
  void anOperatorUndrainsThroughAjrAndItIsRecordedWhoDid() throws Exception {
    HttpResponse<String> undrained = call("POST", "/api/v1/nodes/node3/undrain", "ops", "ops-pass");
    assertThat(undrained.statusCode()).isEqualTo(200);
    assertThat(json.readTree(undrained.body()).at("/node/health").asText()).isEqualTo("OK");
    assertThat(slurm.state("node3").orElseThrow().drained()).isFalse();
    JsonNode one = json.readTree(call("GET", "/api/v1/nodes/node3", "ops", "ops-pass").body());
    assertThat(one.at("/events/0/kind").asText()).isEqualTo("RESUMED");
    assertThat(one.at("/events/0/actor").asText()).isEqualTo("ops");
    assertThat(one.at("/events/0/reason").asText()).isEqualTo("undrained by ops");
  }

  @Test
  void viewersAndStrangersAreRefusedAndUnknownNodesAreNotFound() throws Exception {
    assertThat(call("GET", "/api/v1/nodes", "alice", "alice-pass").statusCode()).isEqualTo(403);
    assertThat(call("POST", "/api/v1/nodes/node3/undrain", "alice", "alice-pass").statusCode())
        .isEqualTo(403);
    assertThat(call("GET", "/api/v1/nodes", "ops", "wrong").statusCode()).isEqualTo(401);
    assertThat(call("GET", "/api/v1/nodes/node9", "ops", "ops-pass").statusCode()).isEqualTo(404);
    // ajr knows nothing of node9, so it drained nothing there to undo
    assertThat(call("POST", "/api/v1/nodes/node9/undrain", "ops", "ops-pass").statusCode())
        .isEqualTo(409);
    assertThat(slurm.state("node3").orElseThrow().drained()).isTrue();
  }

  @Test
  void aNodeAPersonDrainedIsRefusedWithTheReasonAndStaysDrained() throws Exception {
    slurm.drain("node2", "bad DIMM, ticket 4711");
    slurm.commands.clear();
    HttpResponse<String> r = call("POST", "/api/v1/nodes/node2/undrain", "ops", "ops-pass");
    assertThat(r.statusCode()).isEqualTo(409);
    assertThat(json.readTree(r.body()).at("/error/code").asText()).isEqualTo("not_drained_by_ajr");
    assertThat(json.readTree(r.body()).at("/error/message").asText())
        .contains("ajr did not drain node2");
    assertThat(slurm.commands).isEmpty();
    assertThat(slurm.state("node2").orElseThrow().drained()).isTrue();
  }

  @Test
  void inObserveModeAnUndrainIsSentOnlyWhenForcedAndTheForceIsAudited() throws Exception {
    server.close();
    NodeIsolator observing =
        new NodeIsolator(
            store,
            slurm,
            e -> {},
            Clock.systemUTC(),
            d -> {},
            NodeSettings.DEFAULTS,
            () -> true,
            null,
            Duration.ofSeconds(5),
            Fence.NONE);
    server =
        TestApi.on(db, Clock.systemUTC())
            .users(users)
            .nodes(new NodeEndpoints(store, observing))
            .start();
    slurm.commands.clear();

    HttpResponse<String> refused = call("POST", "/api/v1/nodes/node3/undrain", "ops", "ops-pass");
    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(json.readTree(refused.body()).at("/error/code").asText()).isEqualTo("observe_mode");
    assertThat(json.readTree(refused.body()).at("/error/message").asText()).contains("force=true");
    assertThat(slurm.commands).isEmpty();

    HttpResponse<String> forced =
        call("POST", "/api/v1/nodes/node3/undrain?force=true", "ops", "ops-pass");
    assertThat(forced.statusCode()).isEqualTo(200);
    assertThat(slurm.commands).containsExactly("resume node3");
    List<SqlAuditLog.Entry> trail =
        new SqlAuditLog(db, Clock.systemUTC())
            .page(new SqlAuditLog.Filter(null, "node.undrain", null, null), 10, 0);
    assertThat(trail)
        .singleElement()
        .satisfies(e -> {
          assertThat(e.actor()).isEqualTo("ops");
          assertThat(e.target()).isEqualTo("node:node3");
          assertThat(e.detail()).contains("forced");
        });
  }

  @Test
  void aNodeNameOfAnotherShapeNeverReachesSlurm() throws Exception {
    slurm.commands.clear();
    assertThat(call("POST", "/api/v1/nodes/-rf/undrain", "ops", "ops-pass").statusCode())
        .isEqualTo(404);
    assertThat(call("POST", "/api/v1/nodes/node3./undrain", "ops", "ops-pass").statusCode())
        .isEqualTo(400);
    assertThat(call("GET", "/api/v1/agent/jobs?node=-rf", "ops", "ops-pass").statusCode())
        .isEqualTo(400);
    assertThat(slurm.commands).isEmpty();
  }
}
