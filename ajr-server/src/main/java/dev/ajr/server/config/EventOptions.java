package dev.ajr.server.config;

import static dev.ajr.server.config.option.OptionType.duration;
import static dev.ajr.server.config.option.OptionType.path;
import static dev.ajr.server.config.option.OptionType.text;
import static dev.ajr.server.config.option.OptionType.urlText;
import static dev.ajr.server.config.option.OptionType.wholeNumber;

import dev.ajr.server.config.option.Option;
import dev.ajr.server.config.option.OptionValues;
import dev.ajr.server.events.AmqpSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** {@code events.*}: events on RabbitMQ besides the in-process bus. */
public final class EventOptions {

  public static final Option<String> AMQP_URL =
      Option.key("events.amqp-url", urlText("amqp://USER:PASSWORD@HOST:5672/VHOST"))
          .flag("--amqp-url", "URL")
          .frequent()
          .withDescription(
              "also publish every event to RabbitMQ, amqp://USER:PASSWORD@HOST:5672/VHOST"
                  + " (amqps:// for TLS); off when empty");

  public static final Option<Path> AMQP_PASSWORD_FILE =
      Option.key("events.amqp-password-file", path())
          .secretEnv("AJR_AMQP_PASSWORD")
          .secret()
          .frequent()
          .withDescription(
              "a file holding the RabbitMQ password (else the environment variable, else the"
                  + " URL's); never logged");

  public static final Option<String> EXCHANGE =
      Option.key("events.exchange", text())
          .defaultValue("ajr.events")
          .withDescription("the durable topic exchange events go to");

  public static final Option<Duration> OUTBOX_KEEP_SENT =
      Option.key("events.outbox-keep-sent", duration())
          .defaultValue(Duration.ofDays(1))
          .withDescription(
              "how long events stay in the outbox table after RabbitMQ confirmed them");

  public static final Option<Long> OUTBOX_MAX_UNSENT =
      Option.key("events.outbox-max-unsent", wholeNumber(1L, 1_000_000_000L))
          .defaultValue(1_000_000L)
          .withDescription(
              "the most events kept while RabbitMQ is away; beyond it the oldest are dropped"
                  + " (logged as an error)");

  static final List<Option<?>> OPTIONS =
      List.of(AMQP_URL, AMQP_PASSWORD_FILE, EXCHANGE, OUTBOX_KEEP_SENT, OUTBOX_MAX_UNSENT);

  private EventOptions() {}

  static EventsConfig from(OptionValues v) {
    String exchange = v.get(EXCHANGE);
    if (exchange.isEmpty() || exchange.startsWith("amq.")) {
      throw v.invalid("events.exchange must be a name that does not start with amq.");
    }
    Optional<String> url = v.find(AMQP_URL);
    if (url.isEmpty()) {
      return new EventsConfig(null);
    }
    String password = v.secret(AMQP_PASSWORD_FILE);
    try {
      return new EventsConfig(
          AmqpSettings.parse(url.get(), password.isEmpty() ? null : password)
              .withExchange(exchange)
              .withOutbox(v.get(OUTBOX_KEEP_SENT), v.get(OUTBOX_MAX_UNSENT)));
    } catch (IllegalArgumentException e) {
      throw v.invalid("events.amqp-url " + e.getMessage());
    }
  }
}
