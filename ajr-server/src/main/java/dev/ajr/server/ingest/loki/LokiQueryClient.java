package dev.ajr.server.ingest.loki;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Runs one forward range query against Loki's {@code /loki/api/v1/query_range}.
 *
 * <p>Contract: the answer is read as it arrives (gzip-compressed or not); anything but a readable
 * log-query answer with HTTP 200 is a {@link Failure} whose message says what went wrong in words
 * fit for a log, never containing the credentials. Thread-safe.
 */
final class LokiQueryClient implements AutoCloseable {

  /** A query that did not give entries; the message is meant for the operator. */
  static final class Failure extends Exception {
    Failure(String message) {
      super(message);
    }
  }

  private static final int ERROR_TEXT_BYTES = 1024;

  private final LokiSettings settings;
  private final String endpoint;
  private final String authorization;
  private final LokiQueryResponse answers;
  private final HttpClient http;

  LokiQueryClient(LokiSettings settings) {
    this.settings = settings;
    String base = settings.baseUrl().toString();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    this.endpoint = base + "/loki/api/v1/query_range";
    this.authorization = authorization(settings);
    this.answers = new LokiQueryResponse(settings.maxLineBytes());
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(settings.connectTimeout())
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
  }

  private static String authorization(LokiSettings s) {
    if (s.bearerToken() != null) {
      return "Bearer " + s.bearerToken();
    }
    if (s.basicAuthUser() != null) {
      String pair = s.basicAuthUser() + ":" + s.basicAuthPassword();
      return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }
    return null;
  }

  /** The request URI for entries stamped in {@code [startNanos, endNanos)}. */
  URI uri(long startNanos, long endNanos) {
    return URI.create(
        endpoint
            + "?query="
            + encode(settings.query())
            + "&start="
            + startNanos
            + "&end="
            + endNanos
            + "&limit="
            + settings.limit()
            + "&direction=forward");
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /**
   * Asks for the first {@code limit} entries stamped in {@code [startNanos, endNanos)}, oldest
   * first.
   */
  List<LokiStream> query(long startNanos, long endNanos) throws Failure, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(startNanos, endNanos))
            .timeout(settings.requestTimeout())
            .header("Accept", "application/json")
            .header("Accept-Encoding", "gzip")
            .GET();
    if (settings.tenant() != null) {
      request.header("X-Scope-OrgID", settings.tenant());
    }
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    HttpResponse<InputStream> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (HttpConnectTimeoutException e) {
      throw new Failure(
          "cannot connect to Loki at "
              + settings.baseUrl()
              + " within "
              + settings.connectTimeout().toSeconds()
              + " s");
    } catch (HttpTimeoutException e) {
      throw new Failure(
          "Loki at "
              + settings.baseUrl()
              + " did not answer within "
              + settings.requestTimeout().toSeconds()
              + " s");
    } catch (ConnectException e) {
      throw new Failure(
          "cannot connect to Loki at "
              + settings.baseUrl()
              + " ("
              + (e.getMessage() == null ? "connection refused" : e.getMessage())
              + ")");
    } catch (IOException e) {
      throw new Failure("asking Loki at " + settings.baseUrl() + " failed: " + describe(e));
    }
    try (InputStream body = decoded(response)) {
      int status = response.statusCode();
      if (status != 200) {
        throw new Failure(statusProblem(status, errorText(body)));
      }
      return answers.parse(body);
    } catch (LokiFormatException e) {
      throw new Failure("Loki's answer cannot be read: " + e.getMessage());
    } catch (IOException e) {
      throw new Failure(
          "reading Loki's answer from " + settings.baseUrl() + " failed: " + describe(e));
    }
  }

  private static InputStream decoded(HttpResponse<InputStream> response) throws IOException {
    boolean gzip =
        response
            .headers()
            .firstValue("Content-Encoding")
            .map(v -> v.trim().equalsIgnoreCase("gzip"))
            .orElse(false);
    return gzip ? new GZIPInputStream(response.body()) : response.body();
  }

  private String statusProblem(int status, String text) {
    String said = text.isEmpty() ? "" : ": " + text;
    return switch (status) {
      case 400 ->
          "Loki at "
              + settings.baseUrl()
              + " rejected the query "
              + settings.query()
              + " (HTTP 400)"
              + said;
      case 401, 403 ->
          "Loki at "
              + settings.baseUrl()
              + " refused access (HTTP "
              + status
              + "); check the credentials and the tenant"
              + said;
      case 404 ->
          "Loki at "
              + settings.baseUrl()
              + " has no "
              + "/loki/api/v1/query_range (HTTP 404); is the URL Loki's (or its gateway's) base"
              + " address?";
      default -> "Loki at " + settings.baseUrl() + " answered HTTP " + status + said;
    };
  }

  /** The start of an error answer's text, on one line. */
  private static String errorText(InputStream body) throws IOException {
    byte[] bytes = body.readNBytes(ERROR_TEXT_BYTES);
    String text = new String(bytes, StandardCharsets.UTF_8).strip().replaceAll("\\s+", " ");
    return bytes.length == ERROR_TEXT_BYTES ? text + "..." : text;
  }

  private static String describe(IOException e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  @Override
  public void close() {
    http.shutdownNow();
  }
}
