package dev.ajr.server.config;

import static dev.ajr.server.config.option.OptionType.duration;
import static dev.ajr.server.config.option.OptionType.httpUrl;
import static dev.ajr.server.config.option.OptionType.oneOf;
import static dev.ajr.server.config.option.OptionType.path;
import static dev.ajr.server.config.option.OptionType.share;
import static dev.ajr.server.config.option.OptionType.text;

import dev.ajr.server.config.SlurmConfig.TrackingPath;
import dev.ajr.server.config.option.Option;
import dev.ajr.server.config.option.OptionValues;
import dev.ajr.slurm.SlurmCliScheduler.ListingFormat;
import dev.ajr.slurm.rest.SlurmRestSettings;
import dev.ajr.slurm.rest.SlurmToken;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
          .withDescription(
              "how long one Slurm command, or one request to slurmrestd, may take before it counts"
                  + " as failed");

  public static final Option<TrackingPath> TRACKING_PATH =
      Option.key(
              "slurm.tracking-path",
              oneOf(
                  Map.of("cli", TrackingPath.CLI, "rest", TrackingPath.REST),
                  List.of("cli", "rest")))
          .defaultValue(TrackingPath.CLI)
          .withDescription(
              "how ajr reads Slurm's jobs: cli, with squeue and scontrol; rest, from slurmrestd"
                  + " (slurm.rest.*; Slurm 22.05's openapi/v0.0.38); either way ajr acts on jobs"
                  + " and reads the accounting with scontrol, scancel and sacct");

  public static final Option<URI> REST_URL =
      Option.key("slurm.rest.url", httpUrl())
          .withDescription(
              "slurmrestd's address for slurm.tracking-path rest, like http://127.0.0.1:6820");

  public static final Option<String> REST_USER =
      Option.key("slurm.rest.user", text())
          .withDescription(
              "the Slurm user the token belongs to (sent as X-SLURM-USER-NAME); it only reads, but"
                  + " must see every user's jobs (an operator when PrivateData hides jobs)");

  public static final Option<Path> REST_TOKEN_FILE =
      Option.key("slurm.rest.token-file", path())
          .secret()
          .secretEnv("SLURM_JWT")
          .withDescription(
              "file holding the user's JSON Web Token (scontrol token), read again when"
                  + " slurmrestd refuses the token, so a token renewed into it is taken up without"
                  + " a restart");

  static final List<Option<?>> OPTIONS =
      List.of(
          POLL_INTERVAL,
          MAX_POLL_SHARE,
          LISTING_FORMAT,
          COMMAND_TIMEOUT,
          TRACKING_PATH,
          REST_URL,
          REST_USER,
          REST_TOKEN_FILE);

  private SlurmOptions() {}

  static SlurmConfig from(OptionValues v) {
    double share = v.get(MAX_POLL_SHARE);
    if (share <= 0) {
      throw new ConfigException(
          "slurm.max-poll-share must be more than 0 (ajr must read Slurm's queue some of the"
              + " time); 0.25 is the default");
    }
    TrackingPath path = v.get(TRACKING_PATH);
    return new SlurmConfig(
        v.get(POLL_INTERVAL),
        share,
        v.get(LISTING_FORMAT),
        v.get(COMMAND_TIMEOUT),
        path,
        path == TrackingPath.REST ? rest(v) : null);
  }

  /** slurmrestd's settings; every mistake is named at start, the token never. */
  private static SlurmRestSettings rest(OptionValues v) {
    Optional<URI> url = v.find(REST_URL);
    Optional<String> user = v.find(REST_USER);
    if (url.isEmpty() || user.isEmpty()) {
      throw v.invalid(
          "slurm.tracking-path rest needs slurm.rest.url (slurmrestd's address) and"
              + " slurm.rest.user (the Slurm user of the token)");
    }
    // Read once now, with the wording of every secret file, so that a mistake stops the start.
    String token = v.secret(REST_TOKEN_FILE);
    if (token.isEmpty()) {
      throw v.invalid(
          "slurm.tracking-path rest needs a token: slurm.rest.token-file, or the environment"
              + " variable SLURM_JWT, holding the output of scontrol token username="
              + user.get());
    }
    Optional<Path> file = v.find(REST_TOKEN_FILE);
    try {
      SlurmToken slurmToken =
          file.isPresent()
              ? SlurmToken.fromFile(file.get())
              : SlurmToken.fixed(token, "the environment variable SLURM_JWT");
      return new SlurmRestSettings(url.get(), user.get(), slurmToken);
    } catch (SlurmToken.Unreadable e) {
      throw v.invalid("slurm.rest.token-file: " + e.getMessage());
    }
  }
}
