package dev.ajr.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.core.detect.LogLine;
import dev.ajr.core.testing.MutableClock;
import dev.ajr.server.auth.Role;
import dev.ajr.server.auth.UserStore;
import dev.ajr.server.ingest.AgentIngest;
import dev.ajr.server.ingest.IngestAdmission;
import dev.ajr.server.ingest.IngestLimits;
import dev.ajr.server.ingest.LineRouter;
import dev.ajr.server.ingest.LokiLines;
import dev.ajr.server.ingest.StreamGate;
import dev.ajr.server.ingest.StreamLabels;
import dev.ajr.server.store.Database;
import dev.ajr.server.store.SqlIngestPositions;
import dev.ajr.server.store.SqlRecoveryStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Log senders beyond the ingest limits are answered 429 with Retry-After, before anything of their
 * request is handled, and their retry is taken whole; senders within them are not held up.
 */
class IngestBackPressureTest {

  /** 120 kB held at once in all, 100 kB per source, 50 kB a second per source. */
  private static final IngestLimits LIMITS = new IngestLimits(120_000, 100_000, 50_000);

  private static final String HOLD = "HOLD THIS PUSH";

  private final MutableClock admissionClock = new MutableClock(Instant.now());
  private final HttpClient http = HttpClient.newHttpClient();

  /** Lines handed on, by their text: a line routed twice counts 2. */
  private final Map<String, AtomicInteger> routed = new ConcurrentHashMap<>();

  private final CountDownLatch holding = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  private final Map<String, String> tokens = new ConcurrentHashMap<>();
  private Database db;
  private ApiServer server;

  @BeforeEach
  void start(@TempDir Path dir) throws Exception {
    db = Database.openSqlite(dir);
    Clock clock = Clock.systemUTC();
    new SqlRecoveryStore(db, clock);
    UserStore users = new UserStore(db, clock);
    for (String name : List.of("shipper-a", "shipper-b", "shipper-c", "agent")) {
      users.putUser(name, "unused-password", Role.AGENT);
      tokens.put(name, users.createToken(name, "ingest"));
    }
    LineRouter router =
        new LineRouter(
            (jobId, attempt, node, line) -> {},
            jobId -> OptionalInt.empty(),
            (node, line) -> take(line),
            clock);
    StreamGate gate = new StreamGate(new SqlIngestPositions(db, clock));
    server =
        TestApi.on(db, clock)
            .users(users)
            .ingest(
                new IngestEndpoints(
                    new AgentIngest(gate, router, clock, 65536),
                    router,
                    new LokiLines(router, gate, StreamLabels.DEFAULTS, clock),
                    65536,
                    new IngestAdmission(LIMITS, admissionClock)))
            .start();
  }

  /** Every kernel line ends here; the line {@link #HOLD} keeps its push busy until released. */
  private void take(LogLine line) {
    routed.computeIfAbsent(line.text(), t -> new AtomicInteger()).incrementAndGet();
    if (line.text().equals(HOLD)) {
      holding.countDown();
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.close();
    db.close();
  }

  @Test
  void aPushOverTheBoundWaitsWhileOnesUnderItGoOnAndItsRetryIsTakenWhole() throws Exception {
    CompletableFuture<HttpResponse<String>> held = holdAPush("shipper-a", 60_000);

    byte[] b = kernelPush("node-b", "b", 70_000); // 60 + 70 kB > 120 kB in all
    HttpResponse<String> refused = push("shipper-b", b, null);
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(refused.body())
        .contains("\"code\":\"too_many_requests\"")
        .contains("ingest.max-bytes-in-flight");

    HttpResponse<String> within = push("shipper-c", kernelPush("node-c", "c", 50_000), null);
    assertThat(within.statusCode()).as(within.body()).isEqualTo(204);

    assertThat(linesOf("b")).as("nothing of the refused push is handled").isZero();
    release.countDown();
    assertThat(held.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(204);

    HttpResponse<String> retry = push("shipper-b", b, null);
    assertThat(retry.statusCode()).as(retry.body()).isEqualTo(204);
    assertThat(linesOf("b")).isEqualTo(linesIn(b));
    assertThat(routed).allSatisfy((text, count) -> assertThat(count.get()).as(text).isEqualTo(1));
  }

  @Test
  void aPushRefusedWhileDecompressingLeavesNoLineAndItsRetryIsTakenWhole() throws Exception {
    CompletableFuture<HttpResponse<String>> held = holdAPush("shipper-a", 60_000);

    // Small as sent, but 90 kB once decompressed: passes the bound while being decoded.
    byte[] plain = kernelPush("node-b", "b", 90_000);
    byte[] gzipped = gzip(plain);
    assertThat(gzipped.length).isLessThan(60_000);
    HttpResponse<String> refused = push("shipper-b", gzipped, "gzip");
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(linesOf("b")).isZero();

    release.countDown();
    assertThat(held.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(204);
    assertThat(push("shipper-b", gzipped, "gzip").statusCode()).isEqualTo(204);
    assertThat(linesOf("b")).isEqualTo(linesIn(plain));
  }

  @Test
  void aBodySentInChunksIsRefusedWhileItIsRead() throws Exception {
    CompletableFuture<HttpResponse<String>> held = holdAPush("shipper-a", 60_000);

    byte[] b = kernelPush("node-b", "b", 90_000);
    HttpRequest chunked =
        request("/loki/api/v1/push", "shipper-b")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(b)))
            .build();
    HttpResponse<String> refused = http.send(chunked, HttpResponse.BodyHandlers.ofString());
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");

    release.countDown();
    assertThat(held.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(204);
    assertThat(http.send(chunked, HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(204);
    assertThat(linesOf("b")).isEqualTo(linesIn(b));
  }

  @Test
  void aRequestLargerThanASourceMayHoldIsTooLargeNotBusy() throws Exception {
    HttpResponse<String> answer = push("shipper-a", kernelPush("node-a", "a", 110_000), null);
    assertThat(answer.statusCode()).isEqualTo(413);
    assertThat(answer.headers().firstValue("Retry-After")).isEmpty();
    assertThat(answer.body()).contains("send smaller batches");
    assertThat(linesOf("a")).isZero();
  }

  @Test
  void eachAgentNodeHasItsOwnRateWhichRefillsWithTheClock() throws Exception {
    // The bucket holds 100 kB (the per-source bound) and refills at 50 kB a second.
    byte[] first = agentBatch("node1", "first", 1, 60_000);
    assertThat(agentSend("node1", first).statusCode()).isEqualTo(200);

    byte[] second = agentBatch("node1", "second", 1_000, 60_000);
    HttpResponse<String> refused = agentSend("node1", second);
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.body()).contains("ingest.max-bytes-per-second-per-source");
    long wait = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
    assertThat(wait).isEqualTo(1); // about 20 kB missing at 50 kB/s

    assertThat(agentSend("node2", agentBatch("node2", "other", 1, 60_000)).statusCode())
        .as("another node of the same agent token")
        .isEqualTo(200);

    admissionClock.advance(Duration.ofSeconds(wait));
    HttpResponse<String> retry = agentSend("node1", second);
    assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
    assertThat(retry.body()).contains("\"accepted\":" + linesIn(second));
    assertThat(linesOf("second")).isEqualTo(linesIn(second));
  }

  @Test
  void anAgentMayNotNameAnotherNodeThanItsBatch() throws Exception {
    HttpResponse<String> answer = agentSend("node2", agentBatch("node1", "x", 1, 1_000));
    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(answer.body())
        .contains("the batch is of node node1 but the request names node node2");
  }

  /** Starts a push of {@code sender} that is held while handled, once it is being handled. */
  private CompletableFuture<HttpResponse<String>> holdAPush(String sender, int bytes)
      throws Exception {
    String padding = "x".repeat(bytes);
    String body =
        """
        {"streams": [{"stream": {"host": "node-a", "transport": "kernel"},
                      "values": [["%d", "%s"], ["%d", "%s"]]}]}
        """
            .formatted(nanos(0), padding, nanos(1), HOLD);
    CompletableFuture<HttpResponse<String>> held =
        CompletableFuture.supplyAsync(() -> {
          try {
            return push(sender, body.getBytes(StandardCharsets.UTF_8), null);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    assertThat(holding.await(10, TimeUnit.SECONDS)).as("the first push is being handled").isTrue();
    return held;
  }

  /** A JSON push of kernel lines of {@code node}, texts "{tag} N ...", about {@code bytes} long. */
  private static byte[] kernelPush(String node, String tag, int bytes) {
    StringBuilder values = new StringBuilder();
    for (int i = 0; values.length() < bytes; i++) {
      if (i > 0) {
        values.append(", ");
      }
      values
          .append("[\"")
          .append(nanos(i))
          .append("\", \"")
          .append(tag)
          .append(' ')
          .append(i)
          .append(" NVRM: Xid 79, GPU has fallen off the bus. ")
          .append("y".repeat(900))
          .append("\"]");
    }
    return ("{\"streams\": [{\"stream\": {\"host\": \""
            + node
            + "\", \"transport\": \"kernel\"}, \"values\": ["
            + values
            + "]}]}")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** An agent's batch of kernel lines, texts "{tag} N ...", positions from {@code first}. */
  private static byte[] agentBatch(String node, String tag, long first, int bytes) {
    StringBuilder lines = new StringBuilder();
    for (long i = first; lines.length() < bytes; i++) {
      if (i > first) {
        lines.append(", ");
      }
      lines
          .append("{\"position\": ")
          .append(i)
          .append(", \"text\": \"")
          .append(tag)
          .append(' ')
          .append(i)
          .append(' ')
          .append("z".repeat(900))
          .append("\", \"truncated\": false}");
    }
    return ("{\"node\": \""
            + node
            + "\", \"streams\": [{\"stream\": \"kmsg\", \"kind\": \"KERNEL_LOG\", \"jobId\": 0,"
            + " \"attempt\": -1, \"nodeLocal\": true, \"generation\": \"boot-1\", \"lines\": ["
            + lines
            + "]}]}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static long linesIn(byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8);
    return text.split("\"(position|[0-9]{19})", -1).length - 1;
  }

  private long linesOf(String tag) {
    return routed.entrySet().stream()
        .filter(e -> e.getKey().startsWith(tag + " "))
        .mapToLong(e -> e.getValue().get())
        .sum();
  }

  private static long nanos(int i) {
    return Instant.now().getEpochSecond() * 1_000_000_000L + i;
  }

  private static byte[] gzip(byte[] plain) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(plain);
    }
    return out.toByteArray();
  }

  private HttpRequest.Builder request(String path, String sender) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .header("Authorization", "Bearer " + tokens.get(sender));
  }

  private HttpResponse<String> push(String sender, byte[] body, String encoding) throws Exception {
    HttpRequest.Builder r =
        request("/loki/api/v1/push", sender)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (encoding != null) {
      r.header("Content-Encoding", encoding);
    }
    return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> agentSend(String node, byte[] batch) throws Exception {
    return http.send(
        request("/api/v1/agent/lines?node=" + node, "agent")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(batch))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
