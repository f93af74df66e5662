package dev.ajr.server.config;

import static dev.ajr.server.config.option.OptionType.duration;

import dev.ajr.server.config.option.Option;
import dev.ajr.server.config.option.OptionValues;
import java.time.Duration;
import java.util.List;

/** {@code slurm.*}: how ajr talks to Slurm. */
public final class SlurmOptions {

  public static final Option<Duration> POLL_INTERVAL =
      Option.key("slurm.poll-interval", duration())
          .defaultValue(Duration.ofSeconds(1))
          .withDescription("how often squeue --json is read");

  public static final Option<Duration> COMMAND_TIMEOUT =
      Option.key("slurm.command-timeout", duration())
          .defaultValue(Duration.ofSeconds(30))
          .withDescription("how long one Slurm command may take before it counts as failed");

  static final List<Option<?>> OPTIONS = List.of(POLL_INTERVAL, COMMAND_TIMEOUT);

  private SlurmOptions() {}

  static SlurmConfig from(OptionValues v) {
    return new SlurmConfig(v.get(POLL_INTERVAL), v.get(COMMAND_TIMEOUT));
  }
}
