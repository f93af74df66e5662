package dev.ajr.server.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server that answers 429 gets the same batch again after its Retry-After (with jitter), and the
 * agent records its positions only when the batch is taken: no line is lost or skipped.
 */
class NodeAgentBusyTest {

  @TempDir Path dir;

  private HttpServer server;
  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private final List<String> queries = new CopyOnWriteArrayList<>();
  private final AtomicInteger busyAnswers = new AtomicInteger(1);
  private final List<Duration> waits = new CopyOnWriteArrayList<>();

  /** Answers 429 with Retry-After: 7 while busyAnswers lasts, then takes every batch. */
  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/api/v1/agent/lines",
        exchange -> {
          try (exchange) {
            String body =
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            bodies.add(body);
            queries.add(exchange.getRequestURI().getQuery());
            if (busyAnswers.getAndDecrement() > 0) {
              exchange.getResponseHeaders().set("Retry-After", "7");
              answer(
                  exchange,
                  429,
                  "{\"error\": {\"code\": \"too_many_requests\", \"message\":"
                      + " \"the server is busy with other log requests\"}}");
            } else {
              answer(exchange, 200, "{\"accepted\": 3, \"duplicates\": 0}");
            }
          }
        });
    server.start();
  }

  private static void answer(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  @Test
  void aBusyServerGetsTheSameBatchAfterItsRetryAfterAndNoLineIsLost() throws Exception {
    Path kernelLog =
        Files.writeString(
            dir.resolve("kern.log"),
            "NVRM: Xid 79, GPU has fallen off the bus\nline two\nline three\n");
    AgentSettings settings =
        new AgentSettings(
            URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
            "node1",
            "agent-secret",
            kernelLog,
            false,
            dir.resolve("state"),
            Duration.ofMillis(20),
            Duration.ofSeconds(1),
            5_000,
            4 * 1024 * 1024,
            65536,
            Duration.ofSeconds(10),
            null);
    AgentClient client = new AgentClient(settings.server(), "node1", "agent-secret");
    AgentState state = new AgentState(settings.stateDir(), "node1");
    NodeAgent agent = new NodeAgent(settings, client, Clock.systemUTC(), waits::add, () -> 0.5);
    agent.open();
    Thread running = Thread.ofVirtual().start(() -> run(agent));
    try {
      Instant deadline = Instant.now().plusSeconds(20);
      while (!(bodies.size() >= 2 && acknowledged(state)) && Instant.now().isBefore(deadline)) {
        Thread.onSpinWait();
      }
    } finally {
      agent.close();
      running.join(Duration.ofSeconds(10));
    }

    assertThat(bodies).hasSize(2);
    assertThat(bodies.get(1)).as("the same batch, sent again").isEqualTo(bodies.get(0));
    assertThat(bodies.get(0)).contains("GPU has fallen off the bus", "line two", "line three");
    assertThat(queries).containsOnly("node=node1");
    assertThat(waits)
        .as("Retry-After 7 s plus half of it times 0.5")
        .containsExactly(Duration.ofMillis(8_750));
    assertThat(acknowledged(state)).isTrue();
    assertThat(agent.sentLines()).isEqualTo(3);
  }

  @Test
  void theWaitIsTheRetryAfterWithinBoundsPlusAtMostHalfOfIt() {
    assertThat(NodeAgent.busyWait(Duration.ofSeconds(2), 0)).isEqualTo(Duration.ofSeconds(2));
    assertThat(NodeAgent.busyWait(Duration.ofSeconds(2), 0.999))
        .isBetween(Duration.ofSeconds(2), Duration.ofSeconds(3));
    assertThat(NodeAgent.busyWait(Duration.ZERO, 0)).isEqualTo(Duration.ofSeconds(1));
    assertThat(NodeAgent.busyWait(Duration.ofHours(1), 0)).isEqualTo(Duration.ofSeconds(60));
    assertThat(NodeAgent.busyWait(Duration.ofHours(1), 0.999)).isLessThan(Duration.ofSeconds(90));
  }

  @Test
  void retryAfterIsReadInWholeSecondsAndOtherwiseIsOneSecond() {
    assertThat(AgentClient.retryAfter("12")).isEqualTo(Duration.ofSeconds(12));
    assertThat(AgentClient.retryAfter("")).isEqualTo(Duration.ofSeconds(1));
    assertThat(AgentClient.retryAfter("Wed, 21 Oct 2026 07:28:00 GMT"))
        .isEqualTo(Duration.ofSeconds(1));
    assertThat(AgentClient.retryAfter("0")).isEqualTo(Duration.ofSeconds(1));
  }

  /** Whether the saved state has the kernel log read to its end (all three lines). */
  private static boolean acknowledged(AgentState state) {
    try {
      return state.load().files().values().stream().anyMatch(f -> f.lineNumber() >= 3);
    } catch (IOException e) {
      return false;
    }
  }

  private static void run(NodeAgent agent) {
    try {
      agent.run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
