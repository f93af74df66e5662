package dev.ajr.server.config;

/**
 * Where {@code /metrics} is served and who may read it.
 *
 * @param port a port of its own without credentials, or 0 for none
 * @param host the address that port listens on
 * @param token the bearer token that reads {@code /metrics} on the API's port, or empty for none;
 *     never logged or shown
 */
public record MetricsConfig(int port, String host, String token) {

  /** Whether {@code /metrics} has a port of its own. */
  public boolean ownPort() {
    return port != 0;
  }

  @Override
  public String toString() {
    return "MetricsConfig[port="
        + port
        + ", host="
        + host
        + ", token="
        + (token.isEmpty() ? "(none)" : "(set)")
        + "]";
  }
}
