package dev.ajr.server.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What {@code GET /metrics} on the API's port serves, and who may read it besides operators and
 * administrators: a caller sending {@code Authorization: Bearer TOKEN} with the token of {@code
 * metrics.token-file} (compared in constant time; empty: no such token).
 *
 * @param text the meters in Prometheus' text format, taken when asked
 */
public record MetricsScrape(Supplier<String> text, String token) {

  /** Nothing to serve and no token (parts built without metrics). */
  public static final MetricsScrape NONE = new MetricsScrape(() -> "", "");

  public MetricsScrape {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(token, "token");
  }

  /** Whether the Authorization header carries the metrics token. */
  boolean admits(String authorization) {
    if (token.isEmpty() || authorization == null) {
      return false;
    }
    return MessageDigest.isEqual(
        authorization.strip().getBytes(StandardCharsets.UTF_8),
        ("Bearer " + token).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "MetricsScrape[token=" + (token.isEmpty() ? "(none)" : "(set)") + "]";
  }
}
