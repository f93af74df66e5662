package dev.ajr.server.events;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Where and how events go to RabbitMQ. The password never appears in {@link #toString} or in any
 * message: {@link #shown} is the address without credentials.
 *
 * @param tls true for {@code amqps://} (the JVM's trust store, host name verified)
 * @param vhost the virtual host; {@code /} when the URL names none
 * @param exchange the durable topic exchange events are published to
 * @param keepSent how long rows are kept in the outbox after RabbitMQ confirmed them
 * @param maxUnsent the most rows kept waiting for RabbitMQ; the oldest are dropped beyond it
 * @param retryMin the first wait before connecting again after a failure; doubled up to retryMax
 * @param confirmTimeout how long RabbitMQ may take to confirm a batch before the connection is
 *     considered broken
 * @param batch the most events published before waiting for their confirms
 */
public record AmqpSettings(
    boolean tls,
    String host,
    int port,
    String vhost,
    String user,
    String password,
    String exchange,
    Duration keepSent,
    long maxUnsent,
    Duration retryMin,
    Duration retryMax,
    Duration confirmTimeout,
    int batch) {

  public static final String DEFAULT_EXCHANGE = "ajr.events";

  /**
   * Reads {@code amqp://USER:PASSWORD@HOST:PORT/VHOST} (or {@code amqps://}); {@code password},
   * when not null, replaces the URL's. The default settings apply to everything else.
   *
   * @throws IllegalArgumentException with a message that shows no credentials
   */
  public static AmqpSettings parse(String url, String password) {
    String shown = url.replaceAll("//[^@/]*@", "//***@");
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException(
          shown + " is not a URL; write amqp://USER:PASSWORD@HOST:5672/VHOST");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
    if (!scheme.equals("amqp") && !scheme.equals("amqps")) {
      throw new IllegalArgumentException(
          shown + " is not an AMQP URL; write amqp://USER:PASSWORD@HOST:5672/VHOST");
    }
    if (uri.getHost() == null || uri.getHost().isBlank()) {
      throw new IllegalArgumentException(
          shown + " names no host; write amqp://USER:PASSWORD@HOST:5672/VHOST");
    }
    boolean tls = scheme.equals("amqps");
    int port = uri.getPort() < 0 ? (tls ? 5671 : 5672) : uri.getPort();
    String user = "guest";
    String fromUrl = "guest";
    if (uri.getRawUserInfo() != null) {
      String info = uri.getRawUserInfo();
      int colon = info.indexOf(':');
      user = decode(colon < 0 ? info : info.substring(0, colon));
      fromUrl = colon < 0 ? "" : decode(info.substring(colon + 1));
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    if (path.startsWith("/")) {
      path = path.substring(1);
    }
    if (path.contains("/")) {
      throw new IllegalArgumentException(
          shown
              + ": a virtual host with a slash is written %2F (amqp://HOST/%2F is the default /)");
    }
    String vhost = path.isEmpty() ? "/" : decode(path);
    return new AmqpSettings(
        tls,
        uri.getHost(),
        port,
        vhost,
        user,
        password != null ? password : fromUrl,
        DEFAULT_EXCHANGE,
        Duration.ofDays(1),
        1_000_000,
        Duration.ofSeconds(1),
        Duration.ofSeconds(30),
        Duration.ofSeconds(30),
        500);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** The broker's address without credentials, for messages: {@code amqp://HOST:PORT/VHOST}. */
  public String shown() {
    return (tls ? "amqps://" : "amqp://")
        + host
        + ":"
        + port
        + "/"
        + (vhost.equals("/") ? "" : vhost);
  }

  public AmqpSettings withExchange(String name) {
    return new AmqpSettings(
        tls,
        host,
        port,
        vhost,
        user,
        password,
        name,
        keepSent,
        maxUnsent,
        retryMin,
        retryMax,
        confirmTimeout,
        batch);
  }

  public AmqpSettings withOutbox(Duration keep, long max) {
    return new AmqpSettings(
        tls,
        host,
        port,
        vhost,
        user,
        password,
        exchange,
        keep,
        max,
        retryMin,
        retryMax,
        confirmTimeout,
        batch);
  }

  public AmqpSettings withRetry(Duration min, Duration max) {
    return new AmqpSettings(
        tls,
        host,
        port,
        vhost,
        user,
        password,
        exchange,
        keepSent,
        maxUnsent,
        min,
        max,
        confirmTimeout,
        batch);
  }

  public AmqpSettings withBatch(int size) {
    return new AmqpSettings(
        tls,
        host,
        port,
        vhost,
        user,
        password,
        exchange,
        keepSent,
        maxUnsent,
        retryMin,
        retryMax,
        confirmTimeout,
        size);
  }

  @Override
  public String toString() {
    return "AmqpSettings[" + shown() + ", user=" + user + ", exchange=" + exchange + "]";
  }
}
