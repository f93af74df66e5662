package dev.ajr.server.config;

import static dev.ajr.server.config.option.OptionType.duration;
import static dev.ajr.server.config.option.OptionType.httpUrl;
import static dev.ajr.server.config.option.OptionType.path;
import static dev.ajr.server.config.option.OptionType.text;
import static dev.ajr.server.config.option.OptionType.wholeNumber;

import dev.ajr.server.config.option.Option;
import dev.ajr.server.config.option.OptionValues;
import dev.ajr.server.ingest.loki.LokiSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/** {@code loki.*}: Loki as a source of job output. */
public final class LokiOptions {

  public static final Option<URI> URL =
      Option.key("loki.url", httpUrl())
          .frequent()
          .withDescription(
              "read job output from this Loki (e.g. http://loki:3100); off when empty");

  public static final Option<String> QUERY_PREFIX =
      Option.key("loki.query-prefix", text())
          .defaultValue("{appName=\"slurm-app-log\"}")
          .frequent()
          .withDescription("the LogQL stream selector of the job output streams");

  public static final Option<String> LINE_FILTER =
      Option.key("loki.line-filter", text())
          .withDescription("a LogQL line filter appended to the query");

  public static final Option<Duration> QUERY_DELAY =
      Option.key("loki.query-delay", duration())
          .defaultValue(Duration.ofSeconds(5))
          .withDescription(
              "only entries older than this are asked for (the reference system waits 60s); keep"
                  + " it above the shippers' lag");

  public static final Option<Integer> LIMIT =
      Option.key("loki.limit", wholeNumber(1, 100_000))
          .defaultValue(5000)
          .withDescription("entries per query; a full answer is continued at once");

  public static final Option<Duration> MAX_LOOK_BACK =
      Option.key("loki.max-look-back", duration())
          .defaultValue(Duration.ofHours(1))
          .withDescription("never ask further back than this (first start, outage)");

  public static final Option<Duration> POLL_INTERVAL =
      Option.key("loki.poll-interval", duration())
          .defaultValue(Duration.ofSeconds(1))
          .withDescription("how often Loki is asked");

  public static final Option<String> WRITTEN_AT_PATTERN =
      Option.key("loki.written-at-pattern", text())
          .withDescription(
              "a regular expression whose first group is the time a line says it was written, to"
                  + " tie late entries to the right attempt");

  public static final Option<String> WRITTEN_AT_ZONE =
      Option.key("loki.written-at-zone", text())
          .defaultValue("UTC")
          .withDescription("time zone of written-at times that name none");

  public static final Option<String> TENANT =
      Option.key("loki.tenant", text()).withDescription("sent as X-Scope-OrgID");

  public static final Option<String> USER =
      Option.key("loki.user", text()).withDescription("HTTP Basic user for Loki");

  public static final Option<Path> PASSWORD_FILE =
      Option.key("loki.password-file", path())
          .secret()
          .withDescription("file holding the HTTP Basic password for Loki");

  public static final Option<Path> BEARER_TOKEN_FILE =
      Option.key("loki.bearer-token-file", path())
          .secret()
          .withDescription("file holding a bearer token for Loki");

  static final List<Option<?>> OPTIONS =
      List.of(
          URL,
          QUERY_PREFIX,
          LINE_FILTER,
          QUERY_DELAY,
          LIMIT,
          MAX_LOOK_BACK,
          POLL_INTERVAL,
          WRITTEN_AT_PATTERN,
          WRITTEN_AT_ZONE,
          TENANT,
          USER,
          PASSWORD_FILE,
          BEARER_TOKEN_FILE);

  private LokiOptions() {}

  static LokiConfig from(OptionValues v) {
    Optional<URI> url = v.find(URL);
    if (url.isEmpty()) {
      return new LokiConfig(null);
    }
    try {
      LokiSettings.Builder b =
          LokiSettings.builder(url.get(), v.get(QUERY_PREFIX))
              .queryDelay(v.get(QUERY_DELAY))
              .limit(v.get(LIMIT))
              .maxLookBack(v.get(MAX_LOOK_BACK))
              .pollInterval(v.get(POLL_INTERVAL))
              .maxLineBytes(v.get(LogOptions.MAX_LINE_BYTES));
      v.find(LINE_FILTER).ifPresent(b::lineFilter);
      Optional<String> pattern = v.find(WRITTEN_AT_PATTERN);
      if (pattern.isPresent()) {
        b.writtenAt(pattern.get(), ZoneId.of(v.get(WRITTEN_AT_ZONE)));
      }
      v.find(TENANT).ifPresent(b::tenant);
      Optional<String> user = v.find(USER);
      if (user.isPresent()) {
        if (v.find(PASSWORD_FILE).isEmpty()) {
          throw v.invalid("loki.password-file is needed with loki.user");
        }
        b.basicAuth(user.get(), v.secret(PASSWORD_FILE));
      }
      if (v.find(BEARER_TOKEN_FILE).isPresent()) {
        b.bearerToken(v.secret(BEARER_TOKEN_FILE));
      }
      return new LokiConfig(b.build());
    } catch (IllegalArgumentException | DateTimeException e) {
      throw v.invalid("loki: " + e.getMessage());
    }
  }
}
