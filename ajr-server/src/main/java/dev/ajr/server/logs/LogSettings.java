package dev.ajr.server.logs;

import java.time.Duration;

/**
 * How job output is followed.
 *
 * @param pollInterval how often followed files are read
 * @param scanInterval how often a job's working directory is listed for new step logs
 * @param maxLineBytes the longest line kept whole; longer lines are cut
 * @param maxBytesPerPoll the most read from one file in one poll, so one noisy job cannot starve
 *     the others
 * @param grace how long a job's files are still read after it stopped being active
 */
public record LogSettings(
    Duration pollInterval,
    Duration scanInterval,
    int maxLineBytes,
    int maxBytesPerPoll,
    Duration grace) {

  public static final LogSettings DEFAULTS =
      new LogSettings(
          Duration.ofMillis(200),
          Duration.ofSeconds(1),
          64 * 1024,
          4 * 1024 * 1024,
          Duration.ofSeconds(10));
}
