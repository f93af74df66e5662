package dev.ajr.server.config;

import static dev.ajr.server.config.option.OptionType.duration;
import static dev.ajr.server.config.option.OptionType.wholeNumber;

import dev.ajr.server.config.option.Option;
import dev.ajr.server.config.option.OptionValues;
import java.time.Duration;
import java.util.List;

/** {@code web.*}: browser sessions and the failed-login throttle. */
public final class WebOptions {

  public static final Option<Duration> SESSION_LIFETIME =
      Option.key("web.session-lifetime", duration())
          .defaultValue(Duration.ofHours(12))
          .withDescription("a browser login lasts at most this long");

  public static final Option<Duration> SESSION_IDLE =
      Option.key("web.session-idle", duration())
          .defaultValue(Duration.ofHours(2))
          .withDescription("a browser login ends after this long without requests");

  public static final Option<Integer> LOGIN_FAILURES_PER_USER =
      Option.key("web.login-failures-per-user", wholeNumber(1, 1_000_000))
          .defaultValue(3)
          .withDescription(
              "failed logins of one user name from one client address before each further try"
                  + " from there waits (1 s, doubling with each failure, at most"
                  + " web.login-max-delay); another address is not slowed");

  public static final Option<Integer> LOGIN_FAILURES_PER_ADDRESS =
      Option.key("web.login-failures-per-address", wholeNumber(1, 1_000_000))
          .defaultValue(30)
          .withDescription(
              "failed logins of any user names from one client address before each further try"
                  + " from there waits (as for one name)");

  public static final Option<Duration> LOGIN_WINDOW =
      Option.key("web.login-window", duration())
          .defaultValue(Duration.ofMinutes(15))
          .withDescription("failed logins are forgotten this long after the last one");

  public static final Option<Duration> LOGIN_MAX_DELAY =
      Option.key("web.login-max-delay", duration(Duration.ofSeconds(1)))
          .defaultValue(Duration.ofSeconds(30))
          .withDescription(
              "the longest a login try waits after failures: nobody is ever locked out for"
                  + " longer");

  static final List<Option<?>> OPTIONS =
      List.of(
          SESSION_LIFETIME,
          SESSION_IDLE,
          LOGIN_FAILURES_PER_USER,
          LOGIN_FAILURES_PER_ADDRESS,
          LOGIN_WINDOW,
          LOGIN_MAX_DELAY);

  private WebOptions() {}

  static WebConfig from(OptionValues v) {
    return new WebConfig(
        v.get(SESSION_LIFETIME),
        v.get(SESSION_IDLE),
        v.get(LOGIN_FAILURES_PER_USER),
        v.get(LOGIN_FAILURES_PER_ADDRESS),
        v.get(LOGIN_WINDOW),
        v.get(LOGIN_MAX_DELAY));
  }
}
