package dev.ajr.server.config;

import static dev.ajr.server.config.option.OptionType.duration;
import static dev.ajr.server.config.option.OptionType.oneOf;
import static dev.ajr.server.config.option.OptionType.share;

import dev.ajr.server.config.option.Option;
import dev.ajr.server.config.option.OptionValues;
import dev.ajr.slurm.SlurmCliScheduler.ListingFormat;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** {@code slurm.*}: how ajr talks to Slurm. */
public final class SlurmOptions {

  public static final Option<Duration> POLL_INTERVAL =
      Option.key("slurm.poll-interval", duration())
          .defaultValue(Duration.ofSeconds(1))
          .withDescription(
              "how often ajr reads Slurm's queue when reading it is quick (see"
                  + " slurm.max-poll-share)");

  public static final Option<Double> MAX_POLL_SHARE =
      Option.key("slurm.max-poll-share", share())
          .defaultValue(0.25)
          .withDescription(
              "the largest share of the time ajr spends reading Slurm's queue: when a read takes"
                  + " long (a queue of 100,000 jobs), the next waits so that reading stays within"
                  + " this share; ajr's actions are checked with look-ups of single jobs either"
                  + " way");

  public static final Option<ListingFormat> LISTING_FORMAT =
      Option.key(
              "slurm.listing-format",
              oneOf(
                  Map.of("text", ListingFormat.TEXT, "json", ListingFormat.JSON),
                  List.of("text", "json")))
          .defaultValue(ListingFormat.TEXT)
          .withDescription(
              "text: squeue with only the fields ajr reads (about a twentieth of the bytes);"
                  + " json: squeue --json, which Slurm 22.05 answers with the whole queue even for"
                  + " one job");

  public static final Option<Duration> COMMAND_TIMEOUT =
      Option.key("slurm.command-timeout", duration())
          .defaultValue(Duration.ofSeconds(30))
          .withDescription("how long one Slurm command may take before it counts as failed");

  static final List<Option<?>> OPTIONS =
      List.of(POLL_INTERVAL, MAX_POLL_SHARE, LISTING_FORMAT, COMMAND_TIMEOUT);

  private SlurmOptions() {}

  static SlurmConfig from(OptionValues v) {
    double share = v.get(MAX_POLL_SHARE);
    if (share <= 0) {
      throw new ConfigException(
          "slurm.max-poll-share must be more than 0 (ajr must read Slurm's queue some of the"
              + " time); 0.25 is the default");
    }
    return new SlurmConfig(
        v.get(POLL_INTERVAL), share, v.get(LISTING_FORMAT), v.get(COMMAND_TIMEOUT));
  }
}
