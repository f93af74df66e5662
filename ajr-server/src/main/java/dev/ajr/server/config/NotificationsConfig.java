package dev.ajr.server.config;

import dev.ajr.core.notify.Route;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Where notifications go and how they are delivered. No destinations: notifications are off.
 *
 * @param queueSize events waiting for the notifier; beyond it they are counted and summarised
 * @param retries how many times a failed delivery is tried again
 * @param retryBackoff the wait before the first retry, doubled for each further one
 */
public record NotificationsConfig(
    List<Destination> destinations, int queueSize, int retries, Duration retryBackoff, Smtp smtp) {

  public NotificationsConfig {
    destinations = List.copyOf(destinations);
  }

  public boolean enabled() {
    return !destinations.isEmpty();
  }

  public List<Route> routes() {
    return destinations.stream().map(Destination::route).toList();
  }

  /** The kinds of destination. */
  public enum Type {
    SLACK,
    WEBHOOK,
    EMAIL
  }

  /**
   * One destination.
   *
   * @param url the Slack incoming webhook or the webhook (null for e-mail); a secret for Slack
   * @param to the fixed e-mail recipients (empty for the others, or for owners only)
   */
  public record Destination(Route route, Type type, URI url, List<String> to) {
    public Destination {
      to = List.copyOf(to);
    }

    public String name() {
      return route.name();
    }

    @Override
    public String toString() {
      return "Destination[" + route.name() + ", " + type + "]";
    }
  }

  /** The mail server. {@link #toString} never shows the password. */
  public record Smtp(
      String host, int port, Tls tls, String user, String password, String from, Duration timeout) {

    public boolean configured() {
      return !host.isEmpty();
    }

    @Override
    public String toString() {
      return "Smtp[" + host + ":" + port + ", " + tls + ", user=" + user + ", from=" + from + "]";
    }
  }

  /** STARTTLS: never, when the server offers it, or required (the mail is not sent without). */
  public enum Tls {
    OFF,
    OPTIONAL,
    REQUIRED
  }
}
