package dev.ajr.server.config;

import static dev.ajr.server.config.option.OptionType.duration;
import static dev.ajr.server.config.option.OptionType.wholeNumber;

import dev.ajr.core.progress.HangSettings;
import dev.ajr.server.config.option.Option;
import dev.ajr.server.config.option.OptionValues;
import java.time.Duration;
import java.util.List;

/** {@code hang.*}: when an attempt without progress counts as hung. */
public final class HangOptions {

  public static final Option<Duration> FLOOR =
      Option.key("hang.floor", duration())
          .defaultValue(Duration.ofMinutes(10))
          .frequent()
          .withDescription(
              "an attempt is never called hung with less time than this without progress");

  public static final Option<Integer> MULTIPLE =
      Option.key("hang.multiple", wholeNumber(1, 1000))
          .defaultValue(5)
          .withDescription(
              "hung after this many times the attempt's typical interval between progress lines");

  public static final Option<Duration> STARTUP_GRACE =
      Option.key("hang.startup-grace", duration())
          .defaultValue(Duration.ofMinutes(30))
          .withDescription(
              "time to the first progress line, when an earlier attempt showed progress");

  static final List<Option<?>> OPTIONS = List.of(FLOOR, MULTIPLE, STARTUP_GRACE);

  private HangOptions() {}

  static HangSettings from(OptionValues v) {
    return new HangSettings(v.get(FLOOR), v.get(MULTIPLE), v.get(STARTUP_GRACE));
  }
}
