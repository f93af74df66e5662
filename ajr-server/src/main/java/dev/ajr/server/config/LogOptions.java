package dev.ajr.server.config;

import static dev.ajr.server.config.option.OptionType.duration;
import static dev.ajr.server.config.option.OptionType.trueFalse;
import static dev.ajr.server.config.option.OptionType.wholeNumber;

import dev.ajr.server.config.option.Option;
import dev.ajr.server.config.option.OptionValues;
import dev.ajr.server.logs.LogSettings;
import java.time.Duration;
import java.util.List;

/** {@code logs.*}: how job output files are followed. */
public final class LogOptions {

  public static final Option<Boolean> NOTIFICATIONS =
      Option.key("logs.notifications", trueFalse())
          .defaultValue(true)
          .withDescription(
              "read a log file as soon as the file system reports a change (inotify); network and"
                  + " parallel file systems are polled whatever this says");

  public static final Option<Duration> POLL_INTERVAL =
      Option.key("logs.poll-interval", duration())
          .defaultValue(Duration.ofMillis(200))
          .withDescription("how often log files are read where there are no notifications");

  public static final Option<Duration> SCAN_INTERVAL =
      Option.key("logs.scan-interval", duration())
          .defaultValue(Duration.ofSeconds(1))
          .withDescription(
              "how often a job's working directory is listed for new step logs where there are no"
                  + " notifications");

  public static final Option<Duration> SAFETY_POLL_INTERVAL =
      Option.key("logs.safety-poll-interval", duration())
          .defaultValue(Duration.ofSeconds(5))
          .withDescription(
              "how often files with notifications are read anyway, in case one was lost");

  public static final Option<Integer> MAX_LINE_BYTES =
      Option.key("logs.max-line-bytes", wholeNumber(256, 64 * 1024 * 1024))
          .defaultValue(65536)
          .withDescription("longest log line kept whole; longer lines are cut");

  public static final Option<Integer> MAX_BYTES_PER_POLL =
      Option.key("logs.max-bytes-per-poll", wholeNumber(4096, Integer.MAX_VALUE))
          .defaultValue(4194304)
          .withDescription("most bytes read from one file in one poll");

  public static final Option<Duration> GRACE =
      Option.key("logs.grace", duration())
          .defaultValue(Duration.ofSeconds(10))
          .withDescription("how long a job's files are still read after the job ended");

  public static final Option<Integer> HANDLER_THREADS =
      Option.key("logs.handler-threads", wholeNumber(1, 1024))
          .computedDefault(LogSettings::defaultHandlerThreads, "<cores> (at least 2)")
          .withDescription(
              "threads that diagnose the lines read from job output files, for all jobs; one"
                  + " job's lines take one thread at a time, in order, so a job whose lines are"
                  + " slow to diagnose holds one thread, not the others");

  public static final Option<Integer> MAX_QUEUED_BYTES =
      Option.key("logs.max-queued-bytes", wholeNumber(4096, Integer.MAX_VALUE))
          .defaultValue(262144)
          .withDescription(
              "most memory one job's lines may take while they wait to be diagnosed (their text"
                  + " and about 128 bytes a line); beyond it the job's files are read no further"
                  + " until they are, and nothing is lost");

  public static final Option<Boolean> FOLLOW_FILES =
      Option.key("logs.follow-files", trueFalse())
          .defaultValue(true)
          .essential()
          .withDescription(
              "the server reads job output on the shared filesystem; false when node agents send"
                  + " it (./ajr agent)");

  static final List<Option<?>> OPTIONS =
      List.of(
          NOTIFICATIONS,
          POLL_INTERVAL,
          SCAN_INTERVAL,
          SAFETY_POLL_INTERVAL,
          MAX_LINE_BYTES,
          MAX_BYTES_PER_POLL,
          GRACE,
          HANDLER_THREADS,
          MAX_QUEUED_BYTES,
          FOLLOW_FILES);

  private LogOptions() {}

  static LogSettings from(OptionValues v) {
    return new LogSettings(
        v.get(POLL_INTERVAL),
        v.get(SCAN_INTERVAL),
        v.get(MAX_LINE_BYTES),
        v.get(MAX_BYTES_PER_POLL),
        v.get(GRACE),
        v.get(NOTIFICATIONS),
        v.get(SAFETY_POLL_INTERVAL),
        v.get(HANDLER_THREADS),
        v.get(MAX_QUEUED_BYTES));
  }
}
