package dev.ajr.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that sends part of a request and then nothing loses its connection once the request
 * bound ({@code sun.net.httpserver.maxReqTime}) has passed, while an event stream stays open past
 * it. The JDK reads that setting once per JVM, when its first HTTP server starts, so the server
 * under test runs in a JVM of its own ({@link SlowClientServer}) with a bound of {@value #BOUND} s;
 * in production the bound is {@link ApiServer#MAX_REQUEST_SECONDS}.
 */
class SlowClientTest {

  private static final int BOUND = 2;
  private static final String OLGA = BasicAuth.header("olga", "olga-password-12");

  private static Process server;
  private static int port;

  @BeforeAll
  static void startServer(@TempDir Path dir) throws Exception {
    server =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-Dsun.net.httpserver.maxReqTime=" + BOUND,
                "-cp",
                System.getProperty("java.class.path"),
                SlowClientServer.class.getName(),
                dir.resolve("data").toString())
            .redirectError(dir.resolve("server.log").toFile())
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null && !line.startsWith("port=")) {
      // log lines before the port
    }
    assertThat(line)
        .as("the server's port (its log: " + dir.resolve("server.log") + ")")
        .isNotNull();
    port = Integer.parseInt(line.substring("port=".length()));
    Thread.ofVirtual().start(() -> drain(server.getInputStream()));
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.getOutputStream().close();
      if (!server.waitFor(20, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    }
  }

  private static void drain(InputStream in) {
    try {
      in.transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      // the server stopped
    }
  }

  private static void send(Socket socket, String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
  }

  @Test
  void theServerSetsTheBoundUnlessTheCommandLineDoes() throws Exception {
    Class.forName(ApiServer.class.getName(), true, ApiServer.class.getClassLoader());
    boolean given =
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .anyMatch(a -> a.startsWith("-Dsun.net.httpserver.maxReqTime="));
    assumeFalse(given, "the bound was given on the command line");
    assertThat(System.getProperty("sun.net.httpserver.maxReqTime"))
        .isEqualTo(Integer.toString(ApiServer.MAX_REQUEST_SECONDS));
    assertThat(System.getProperty("sun.net.httpserver.maxRspTime"))
        .as("answers (event streams) are not bounded")
        .isNull();
  }

  @Test
  void aRequestThatArrivesInTimeIsAnswered() throws Exception {
    HttpResponse<String> health =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
  }

  @Test
  void aClientThatNeverFinishesItsHeadersIsCutOffAfterTheBound() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      long start = System.nanoTime();
      send(socket, "GET /api/v1/me HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic");
      int first;
      try {
        first = socket.getInputStream().read();
      } catch (SocketException reset) {
        first = -1;
      } catch (SocketTimeoutException e) {
        throw new AssertionError("the connection was still open after 30 s", e);
      }
      Duration waited = Duration.ofNanos(System.nanoTime() - start);

      assertThat(first).as("closed without an answer").isEqualTo(-1);
      // the JDK checks every second; allow for a busy machine
      assertThat(waited)
          .isGreaterThanOrEqualTo(Duration.ofSeconds(BOUND).minusMillis(200))
          .isLessThan(Duration.ofSeconds(BOUND + 8));
    }
  }

  @Test
  void anEventStreamStaysOpenPastTheBound() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      send(
          socket,
          "GET /api/v1/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + OLGA + "\r\n\r\n");
      InputStream in = socket.getInputStream();
      StringBuilder seen = new StringBuilder();
      byte[] buffer = new byte[4096];
      while (!seen.toString().contains("event: hello")) {
        int n = in.read(buffer);
        if (n < 0) {
          fail("the stream ended before its first event: " + seen);
        }
        seen.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
      }
      assertThat(seen.toString()).startsWith("HTTP/1.1 200");

      // nothing is sent for 15 s (the heartbeat); the connection must outlive twice the bound
      socket.setSoTimeout((2 * BOUND + 2) * 1000);
      try {
        int n = in.read(buffer);
        assertThat(n).as("the stream was closed").isNotNegative();
      } catch (SocketTimeoutException stillOpen) {
        // what is expected: open, and quiet
      }
    }
  }
}
