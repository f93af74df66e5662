package dev.ajr.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ajr.core.detect.Evidence;
import dev.ajr.server.agent.AgentClient;
import dev.ajr.server.agent.AgentSettings;
import dev.ajr.server.http.tls.ApiListeners;
import dev.ajr.server.http.tls.TestCertificates;
import dev.ajr.server.ingest.AgentBatch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node agent ships to an HTTPS server whose certificate a private CA issued. */
class AgentTlsTest {

  @TempDir Path dir;
  private final ObjectMapper json = new ObjectMapper();
  private final List<JsonNode> received = new CopyOnWriteArrayList<>();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private TestCertificates certs;
  private ApiListeners server;

  /** A stand-in for the agent API, served over HTTPS by the server's own listener code. */
  @BeforeEach
  void startHttpsServer() throws IOException {
    certs = TestCertificates.create(dir.resolve("tls"));
    server = ApiListeners.open("127.0.0.1", 0, certs.settings(), Clock.systemUTC());
    server
        .api()
        .createContext(
            "/api/v1/agent/lines",
            exchange -> {
              try (exchange) {
                authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
                received.add(json.readTree(exchange.getRequestBody()));
                byte[] ack = "{\"accepted\":1,\"duplicates\":0}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, ack.length);
                exchange.getResponseBody().write(ack);
              }
            });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private AgentSettings settings(String... extra) throws IOException {
    Path token = Files.writeString(dir.resolve("agent.token"), "agent-secret\n");
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "--server",
                "https://localhost:" + server.api().getAddress().getPort(),
                "--node",
                "node7",
                "--token-file",
                token.toString(),
                "--no-kernel-log"));
    args.addAll(List.of(extra));
    return AgentCommand.parse(args, Map.of());
  }

  private static AgentBatch batch() {
    return new AgentBatch(
        "node7",
        List.of(
            new AgentBatch.Stream(
                "/home/alice/job-42.out",
                Evidence.JOB_OUTPUT,
                42,
                -1,
                false,
                "g1",
                List.of(new AgentBatch.Line(1, "NCCL error", null, false)))));
  }

  @Test
  void withCaCertTheAgentShipsOverHttps() throws Exception {
    AgentSettings settings = settings("--ca-cert", certs.caFile().toString());
    AgentClient client = AgentCommand.client(settings);

    AgentBatch.Ack ack = client.send(batch());

    assertThat(settings.caCert()).isEqualTo(certs.caFile());
    assertThat(ack).isEqualTo(new AgentBatch.Ack(1, 0));
    assertThat(received).hasSize(1);
    assertThat(
            received.getFirst().path("streams").get(0).path("lines").get(0).path("text").asText())
        .isEqualTo("NCCL error");
    assertThat(authorizations).containsExactly("Bearer agent-secret");
  }

  @Test
  void withoutCaCertThePrivateCaIsNotTrusted() throws Exception {
    AgentClient client = AgentCommand.client(settings());

    assertThatThrownBy(() -> client.send(batch()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("cannot be reached");
    assertThat(received).isEmpty();
  }

  @Test
  void caCertMistakesAreExplained() throws Exception {
    assertThatThrownBy(() -> settings("--ca-cert", dir.resolve("missing.pem").toString()))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("--ca-cert")
        .hasMessageContaining("cannot be read");
    Path notPem = Files.writeString(dir.resolve("ca.txt"), "hello");
    AgentSettings settings = settings("--ca-cert", notPem.toString());
    assertThatThrownBy(() -> AgentCommand.client(settings))
        .hasMessageStartingWith("--ca-cert: " + notPem);
  }
}
