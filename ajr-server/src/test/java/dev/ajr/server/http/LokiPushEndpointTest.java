package dev.ajr.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.core.detect.Evidence;
import dev.ajr.core.detect.LogLine;
import dev.ajr.core.tracking.ActiveAttempt;
import dev.ajr.server.auth.Role;
import dev.ajr.server.auth.UserStore;
import dev.ajr.server.ingest.AgentIngest;
import dev.ajr.server.ingest.LineRouter;
import dev.ajr.server.ingest.LokiLines;
import dev.ajr.server.ingest.StreamGate;
import dev.ajr.server.ingest.StreamLabels;
import dev.ajr.server.ingest.loki.PushRequestWriter;
import dev.ajr.server.store.Database;
import dev.ajr.server.store.SqlIngestPositions;
import dev.ajr.server.store.SqlRecoveryStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xerial.snappy.Snappy;

/**
 * {@code POST /loki/api/v1/push} fed the way Promtail and Alloy send (Snappy-compressed protobuf)
 * and the way Fluent Bit and Vector can (JSON), with the labels those shippers set.
 */
class LokiPushEndpointTest {

  private static final Instant NOW = Instant.now();

  private record Routed(long jobId, int attempt, String node, LogLine line) {}

  private final List<Routed> routed = Collections.synchronizedList(new ArrayList<>());
  private final HttpClient http = HttpClient.newHttpClient();
  private Database db;
  private ApiServer server;
  private String agentToken;
  private String viewerToken;

  @BeforeEach
  void start(@TempDir Path dir) throws Exception {
    db = Database.openSqlite(dir);
    Clock clock = Clock.systemUTC();
    new SqlRecoveryStore(db, clock);
    UserStore users = new UserStore(db, clock);
    users.putUser("promtail", "unused-password", Role.AGENT);
    users.putUser("alice", "alice-pass", Role.VIEWER);
    agentToken = users.createToken("promtail", "promtail");
    viewerToken = users.createToken("alice", "mine");
    LineRouter router =
        new LineRouter(
            (jobId, attempt, node, line) -> routed.add(new Routed(jobId, attempt, node, line)),
            jobId -> OptionalInt.empty(),
            (node, line) -> routed.add(new Routed(0, -1, node, line)),
            clock);
    router.update(
        List.of(
            new ActiveAttempt(
                7,
                0,
                true,
                "/w",
                "/w/slurm-7.out",
                "/w/slurm-7.out",
                List.of("node1", "node2"),
                NOW.minusSeconds(60))));
    StreamGate gate = new StreamGate(new SqlIngestPositions(db, clock));
    server =
        TestApi.on(db, clock)
            .users(users)
            .ingest(
                new IngestEndpoints(
                    new AgentIngest(gate, router, clock, 65536),
                    router,
                    new LokiLines(router, gate, StreamLabels.DEFAULTS, clock),
                    65536))
            .start();
  }

  @AfterEach
  void stop() {
    server.close();
    db.close();
  }

  private HttpResponse<String> push(String token, String type, String encoding, byte[] body)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/loki/api/v1/push"))
            .header("Content-Type", type)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (encoding != null) {
      request.header("Content-Encoding", encoding);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static byte[] promtailBody() throws Exception {
    long s = NOW.getEpochSecond();
    byte[] job =
        PushRequestWriter.stream(
            "{filename=\"/w/slurm-7.out\", host=\"node1\", job=\"slurm\"}",
            List.of(
                PushRequestWriter.entry(s, 1, "iteration 10 | loss 2.1", Map.of()),
                PushRequestWriter.entry(
                    s, 2, "RuntimeError: CUDA error: an illegal memory access", Map.of())));
    byte[] kernel =
        PushRequestWriter.stream(
            "{host=\"node2\", transport=\"kernel\", job=\"journal\"}",
            List.of(
                PushRequestWriter.entry(
                    s,
                    3,
                    "NVRM: Xid (PCI:0000:3b:00): 79, GPU has fallen off the bus.",
                    Map.of())));
    return Snappy.compress(PushRequestWriter.pushRequest(List.of(job, kernel)));
  }

  @Test
  void aPromtailRequestReachesTheJobAndTheNodeAndARetryRepeatsNothing() throws Exception {
    byte[] body = promtailBody();
    HttpResponse<String> first = push(agentToken, "application/x-protobuf", null, body);
    assertThat(first.statusCode()).isEqualTo(204);
    HttpResponse<String> retry = push(agentToken, "application/x-protobuf", null, body);
    assertThat(retry.statusCode()).isEqualTo(204);

    assertThat(routed).hasSize(3);
    Routed line = routed.get(1);
    assertThat(line.jobId()).isEqualTo(7);
    assertThat(line.attempt()).isEqualTo(0);
    assertThat(line.line().text()).contains("illegal memory access");
    assertThat(line.line().source()).isEqualTo("/w/slurm-7.out");
    assertThat(line.line().evidence()).isEqualTo(Evidence.JOB_OUTPUT);
    Routed kernel = routed.get(2);
    assertThat(kernel.jobId()).isEqualTo(7); // the job ran on node2 then
    assertThat(kernel.node()).isEqualTo("node2");
    assertThat(kernel.line().evidence()).isEqualTo(Evidence.KERNEL_LOG);
  }

  @Test
  void jsonAsFluentBitAndVectorSendItWithAJobLabel() throws Exception {
    long ns = NOW.toEpochMilli() * 1_000_000;
    String json =
        """
        {"streams": [{"stream": {"job_id": "7", "hostname": "node1"},
                      "values": [["%d", "Traceback (most recent call last):"],
                                 ["%d", "KeyError: 'lr'"]]}]}
        """
            .formatted(ns, ns + 1);
    HttpResponse<String> answer =
        push(agentToken, "application/json", null, json.getBytes(StandardCharsets.UTF_8));
    assertThat(answer.statusCode()).isEqualTo(204);
    assertThat(routed).extracting(r -> r.line().text()).contains("KeyError: 'lr'");
    assertThat(routed).allMatch(r -> r.jobId() == 7);
  }

  @Test
  void onlyCallersThatMayShipLogsGetThrough() throws Exception {
    assertThat(push(null, "application/x-protobuf", null, promtailBody()).statusCode())
        .isEqualTo(401);
    assertThat(push(viewerToken, "application/x-protobuf", null, promtailBody()).statusCode())
        .isEqualTo(403);
    assertThat(routed).isEmpty();
  }

  @Test
  void garbageIsABadRequestThatSaysWhy() throws Exception {
    HttpResponse<String> answer =
        push(agentToken, "application/x-protobuf", null, "not snappy at all".getBytes());
    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(answer.body()).contains("\"code\":\"bad_request\"");
    assertThat(routed).isEmpty();
  }

  @Test
  void streamsOfNoKnownJobAreDropped() throws Exception {
    long s = NOW.getEpochSecond();
    byte[] other =
        PushRequestWriter.stream(
            "{filename=\"/var/log/syslog\", host=\"node1\"}",
            List.of(PushRequestWriter.entry(s, 5, "CUDA error: out of memory", Map.of())));
    assertThat(
            push(
                    agentToken,
                    "application/x-protobuf",
                    null,
                    Snappy.compress(PushRequestWriter.pushRequest(List.of(other))))
                .statusCode())
        .isEqualTo(204);
    assertThat(routed).isEmpty();
  }
}
