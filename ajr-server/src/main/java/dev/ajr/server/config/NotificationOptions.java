package dev.ajr.server.config;

import static dev.ajr.server.config.option.OptionType.duration;
import static dev.ajr.server.config.option.OptionType.oneOf;
import static dev.ajr.server.config.option.OptionType.path;
import static dev.ajr.server.config.option.OptionType.structured;
import static dev.ajr.server.config.option.OptionType.text;
import static dev.ajr.server.config.option.OptionType.wholeNumber;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ajr.server.config.NotificationsConfig.Tls;
import dev.ajr.server.config.option.Option;
import dev.ajr.server.config.option.OptionValues;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** {@code notifications.*}: where notifications go and how they are delivered. */
public final class NotificationOptions {

  public static final Option<JsonNode> DESTINATIONS =
      Option.key("notifications.destinations", structured("list of destinations (YAML only)"))
          .secret()
          .frequent()
          .withDescription(
              "a list of Slack, webhook and e-mail destinations with their rules (see Operations,"
                  + " Notifications); in the YAML file only");

  public static final Option<Integer> QUEUE_SIZE =
      Option.key("notifications.queue-size", wholeNumber(10, 10_000_000))
          .defaultValue(10000)
          .withDescription(
              "events waiting to be notified; beyond it they are counted, and the count is sent");

  public static final Option<Integer> RETRIES =
      Option.key("notifications.retries", wholeNumber(0, 100))
          .defaultValue(3)
          .withDescription(
              "how many times a failed delivery is tried again before it is logged and dropped");

  public static final Option<Duration> RETRY_BACKOFF =
      Option.key("notifications.retry-backoff", duration())
          .defaultValue(Duration.ofSeconds(2))
          .withDescription("the wait before the first retry, doubled for each further one");

  public static final Option<String> SMTP_HOST =
      Option.key("notifications.smtp.host", text())
          .frequent()
          .withDescription("the mail server for e-mail destinations");

  public static final Option<Integer> SMTP_PORT =
      Option.key("notifications.smtp.port", wholeNumber(1, 65535))
          .defaultValue(587)
          .withDescription("its port");

  public static final Option<Tls> SMTP_STARTTLS =
      Option.key(
              "notifications.smtp.starttls",
              oneOf(
                  Map.of(
                      "off", Tls.OFF,
                      "false", Tls.OFF,
                      "optional", Tls.OPTIONAL,
                      "required", Tls.REQUIRED,
                      "true", Tls.REQUIRED),
                  List.of("off", "optional", "required")))
          .defaultValue(Tls.OPTIONAL)
          .withDescription("off, optional (when the server offers it) or required");

  public static final Option<String> SMTP_USER =
      Option.key("notifications.smtp.user", text())
          .frequent()
          .withDescription("user for SMTP AUTH");

  public static final Option<Path> SMTP_PASSWORD_FILE =
      Option.key("notifications.smtp.password-file", path())
          .secret()
          .frequent()
          .withDescription("a file holding the SMTP password (never logged)");

  public static final Option<String> SMTP_FROM =
      Option.key("notifications.smtp.from", text())
          .defaultValue("ajr@localhost")
          .frequent()
          .withDescription("the sender address");

  public static final Option<Duration> SMTP_TIMEOUT =
      Option.key("notifications.smtp.timeout", duration())
          .defaultValue(Duration.ofSeconds(10))
          .withDescription("how long connecting to and talking with the mail server may take");

  static final List<Option<?>> OPTIONS =
      List.of(
          DESTINATIONS,
          QUEUE_SIZE,
          RETRIES,
          RETRY_BACKOFF,
          SMTP_HOST,
          SMTP_PORT,
          SMTP_STARTTLS,
          SMTP_USER,
          SMTP_PASSWORD_FILE,
          SMTP_FROM,
          SMTP_TIMEOUT);

  private NotificationOptions() {}

  static NotificationsConfig from(OptionValues v) {
    NotificationsConfig.Smtp smtp = smtp(v);
    return new NotificationsConfig(
        NotificationsParser.destinations(v.find(DESTINATIONS).orElse(null), v.origin(), smtp),
        v.get(QUEUE_SIZE),
        v.get(RETRIES),
        v.get(RETRY_BACKOFF),
        smtp);
  }

  private static NotificationsConfig.Smtp smtp(OptionValues v) {
    String user = v.find(SMTP_USER).orElse("");
    boolean passwordFile = v.find(SMTP_PASSWORD_FILE).isPresent();
    if (passwordFile && user.isEmpty()) {
      throw v.invalid("notifications.smtp.password-file is set but notifications.smtp.user is not");
    }
    if (!passwordFile && !user.isEmpty()) {
      throw v.invalid("notifications.smtp.user needs notifications.smtp.password-file");
    }
    String password = passwordFile ? v.secret(SMTP_PASSWORD_FILE) : "";
    String from = v.get(SMTP_FROM);
    if (!NotificationsParser.ADDRESS.matcher(from).matches()) {
      throw v.invalid("notifications.smtp.from must be an e-mail address, not \"" + from + "\"");
    }
    return new NotificationsConfig.Smtp(
        v.find(SMTP_HOST).orElse(""),
        v.get(SMTP_PORT),
        v.get(SMTP_STARTTLS),
        user,
        password,
        from,
        v.get(SMTP_TIMEOUT));
  }
}
