package dev.ajr.server.agent;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ajr.core.json.Json;
import dev.ajr.server.ingest.AgentBatch;
import dev.ajr.server.ingest.LineRouter;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * The agent's side of the agent API: which jobs run on this node, and sending lines. Every call
 * either returns the server's answer or throws an {@link IOException} whose message says what went
 * wrong (never the token); a server that asks the agent to wait (429) is a {@link Busy}. Batches
 * name the node in the query too ({@code ?node=}), so the server's limits hold per node.
 * Thread-safe.
 */
public final class AgentClient {

  /** The server refused the agent (bad token, wrong role): retrying will not help by itself. */
  public static final class Refused extends IOException {
    Refused(String message) {
      super(message);
    }
  }

  /**
   * The server asked the agent to wait (429): nothing of the request was taken; send it again after
   * {@link #retryAfter}.
   */
  public static final class Busy extends IOException {

    private final Duration retryAfter;

    Busy(String message, Duration retryAfter) {
      super(message);
      this.retryAfter = retryAfter;
    }

    /** The server's Retry-After; 1 s when it gave none the agent can read. */
    public Duration retryAfter() {
      return retryAfter;
    }
  }

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

  private final URI server;
  private final String node;
  private final String token;
  private final HttpClient http;

  public AgentClient(URI server, String node, String token) {
    this(server, node, token, null);
  }

  /**
   * @param tls the TLS context for an https:// server (trusting a private CA, see {@code
   *     PemTls.trusting}), or null for the JDK's trusted authorities
   */
  public AgentClient(URI server, String node, String token, SSLContext tls) {
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
    if (tls != null) {
      builder.sslContext(tls);
    }
    this.http = builder.build();
    String base = server.toString();
    this.server = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
    this.node = node;
    this.token = token;
  }

  /** The jobs running on this node now. */
  public List<LineRouter.Assignment> assignments() throws IOException {
    URI uri =
        URI.create(
            server + "/api/v1/agent/jobs?node=" + URLEncoder.encode(node, StandardCharsets.UTF_8));
    JsonNode body = call(HttpRequest.newBuilder(uri).GET());
    List<LineRouter.Assignment> jobs = new ArrayList<>();
    for (JsonNode job : body.path("jobs")) {
      jobs.add(Json.lenient(LineRouter.Assignment.class).readValue(job));
    }
    return jobs;
  }

  /** Sends a batch; returns once the server has taken it in. */
  public AgentBatch.Ack send(AgentBatch batch) throws IOException {
    byte[] body = Json.MAPPER.writeValueAsBytes(batch);
    JsonNode answer =
        call(
            HttpRequest.newBuilder(
                    URI.create(
                        server
                            + "/api/v1/agent/lines?node="
                            + URLEncoder.encode(node, StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    return Json.lenient(AgentBatch.Ack.class).readValue(answer);
  }

  private JsonNode call(HttpRequest.Builder request) throws IOException {
    HttpResponse<byte[]> response;
    try {
      response =
          http.send(
              request.timeout(TIMEOUT).header("Authorization", "Bearer " + token).build(),
              HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (IOException e) {
      String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
      throw new IOException("the ajr server at " + server + " cannot be reached (" + why + ")", e);
    }
    int status = response.statusCode();
    String message = errorMessage(response.body());
    if (status == 401 || status == 403) {
      throw new Refused(
          "the ajr server at " + server + " refused the agent token (" + status + "): " + message);
    }
    if (status == 429) {
      throw new Busy(
          "the ajr server at " + server + " asks the agent to wait (429): " + message,
          retryAfter(response.headers().firstValue("Retry-After").orElse("")));
    }
    if (status / 100 != 2) {
      throw new IOException("the ajr server at " + server + " answered " + status + ": " + message);
    }
    try {
      return Json.MAPPER.readTree(response.body());
    } catch (JacksonException e) {
      throw new IOException("the ajr server at " + server + " sent an answer that is not JSON");
    }
  }

  /** A Retry-After of whole seconds, as ajr sends it; anything else is read as 1 s. */
  static Duration retryAfter(String header) {
    try {
      long seconds = Long.parseLong(header.strip());
      return seconds > 0 ? Duration.ofSeconds(seconds) : DEFAULT_RETRY_AFTER;
    } catch (NumberFormatException e) {
      return DEFAULT_RETRY_AFTER;
    }
  }

  private String errorMessage(byte[] body) {
    try {
      JsonNode error = Json.MAPPER.readTree(body).path("error").path("message");
      return error.isMissingNode() ? "" : error.asText();
    } catch (IOException e) {
      return "";
    }
  }
}
