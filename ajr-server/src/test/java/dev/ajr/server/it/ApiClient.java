package dev.ajr.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ajr.server.http.tls.PemTls;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.function.Predicate;

/** Reads ajr's API as a user would, with HTTP Basic. */
final class ApiClient {

  private final HttpClient http;
  private final ObjectMapper json = new ObjectMapper();
  private final String base;
  private final String authorization;

  ApiClient(String base, String user, String password) {
    this(base, user, password, HttpClient.newHttpClient());
  }

  /** For an https:// server whose certificate the CA in the PEM file {@code caPem} issued. */
  ApiClient(String base, String user, String password, Path caPem) {
    this(
        base,
        user,
        password,
        HttpClient.newBuilder().sslContext(PemTls.trusting(caPem, "test CA")).build());
  }

  private ApiClient(String base, String user, String password, HttpClient http) {
    this.http = http;
    this.base = base;
    this.authorization =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  JsonNode get(String path) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", authorization)
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(
          "GET " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    return json.readTree(response.body());
  }

  /** Polls GET path until the predicate holds; fails with the last body after the deadline. */
  JsonNode await(String path, Duration timeout, String what, Predicate<JsonNode> done)
      throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    JsonNode last = null;
    while (Instant.now().isBefore(deadline)) {
      try {
        last = get(path);
        if (done.test(last)) {
          return last;
        }
      } catch (IOException e) {
        // not known yet: keep polling until the deadline
      }
      Thread.sleep(250);
    }
    throw new AssertionError(
        "timed out after "
            + timeout.toSeconds()
            + " s waiting for "
            + what
            + "; last answer: "
            + (last == null ? "none" : last.toPrettyString()));
  }
}
