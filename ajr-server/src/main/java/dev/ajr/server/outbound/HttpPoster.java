package dev.ajr.server.outbound;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * POSTs JSON and wants a 2xx answer; errors name the host only (Slack and webhook URLs are
 * secrets). Used by notifications and the hardware-recovery webhook. Thread-safe.
 */
public final class HttpPoster {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final URI url;
  private final Duration timeout;

  public HttpPoster(URI url, Duration timeout) {
    this.url = url;
    this.timeout = timeout;
  }

  public void post(byte[] json) throws IOException {
    HttpResponse<String> answer;
    try {
      answer =
          HTTP.send(
              HttpRequest.newBuilder(url)
                  .timeout(timeout)
                  .header("Content-Type", "application/json; charset=utf-8")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(json))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (IOException e) {
      String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
      throw new IOException(url.getHost() + " cannot be reached (" + why + ")", e);
    }
    if (answer.statusCode() / 100 != 2) {
      String body = answer.body() == null ? "" : answer.body().strip();
      if (body.length() > 200) {
        body = body.substring(0, 200) + "...";
      }
      throw new IOException(
          url.getHost() + " answered " + answer.statusCode() + (body.isEmpty() ? "" : ": " + body));
    }
  }
}
