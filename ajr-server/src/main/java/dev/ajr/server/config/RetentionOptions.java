package dev.ajr.server.config;

import static dev.ajr.server.config.option.OptionType.duration;

import dev.ajr.server.config.option.Option;
import dev.ajr.server.config.option.OptionValues;
import java.time.Duration;
import java.util.List;

/** {@code retention.*}: how long history is kept. */
public final class RetentionOptions {

  public static final Option<Duration> FINISHED_JOBS =
      Option.key("retention.finished-jobs", duration())
          .defaultValue(Duration.ofDays(90))
          .frequent()
          .withDescription("how long finished jobs, with their anomalies and decisions, are kept");

  public static final Option<Duration> INTERVAL =
      Option.key("retention.interval", duration())
          .defaultValue(Duration.ofHours(1))
          .withDescription("how often old finished jobs are pruned");

  public static final Option<Duration> AUDIT_KEEP =
      Option.key("retention.audit-keep", duration())
          .defaultValue(Duration.ofDays(365))
          .withDescription("how long rows of the audit trail are kept before they are pruned");

  static final List<Option<?>> OPTIONS = List.of(FINISHED_JOBS, INTERVAL, AUDIT_KEEP);

  private RetentionOptions() {}

  static RetentionConfig from(OptionValues v) {
    return new RetentionConfig(v.get(FINISHED_JOBS), v.get(INTERVAL), v.get(AUDIT_KEEP));
  }
}
