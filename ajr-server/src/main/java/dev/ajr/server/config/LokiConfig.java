package dev.ajr.server.config;

import dev.ajr.server.ingest.loki.LokiSettings;

/**
 * Loki as a source of job output, as the reference system reads it; off unless {@code loki.url} is
 * set.
 *
 * @param settings the query source's settings, or null when Loki is not read
 */
public record LokiConfig(LokiSettings settings) {

  public boolean enabled() {
    return settings != null;
  }
}
