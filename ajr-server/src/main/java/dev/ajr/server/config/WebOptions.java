package dev.ajr.server.config;

import static dev.ajr.server.config.option.OptionType.duration;
import static dev.ajr.server.config.option.OptionType.wholeNumber;

import dev.ajr.server.config.option.Option;
import dev.ajr.server.config.option.OptionValues;
import java.time.Duration;
import java.util.List;

/** {@code web.*}: browser sessions and the login rate limit. */
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
          .defaultValue(5)
          .withDescription(
              "failed logins for one user name within web.login-window before it waits");

  public static final Option<Integer> LOGIN_FAILURES_PER_ADDRESS =
      Option.key("web.login-failures-per-address", wholeNumber(1, 1_000_000))
          .defaultValue(30)
          .withDescription(
              "failed logins from one client address within web.login-window before it waits");

  public static final Option<Duration> LOGIN_WINDOW =
      Option.key("web.login-window", duration())
          .defaultValue(Duration.ofMinutes(15))
          .withDescription("the window failed logins are counted in");

  static final List<Option<?>> OPTIONS =
      List.of(
          SESSION_LIFETIME,
          SESSION_IDLE,
          LOGIN_FAILURES_PER_USER,
          LOGIN_FAILURES_PER_ADDRESS,
          LOGIN_WINDOW);

  private WebOptions() {}

  static WebConfig from(OptionValues v) {
    return new WebConfig(
        v.get(SESSION_LIFETIME),
        v.get(SESSION_IDLE),
        v.get(LOGIN_FAILURES_PER_USER),
        v.get(LOGIN_FAILURES_PER_ADDRESS),
        v.get(LOGIN_WINDOW));
  }
}
