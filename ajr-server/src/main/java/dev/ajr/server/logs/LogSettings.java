package dev.ajr.server.logs;

import java.time.Duration;

/**
 * How job output is followed.
 *
 * @param pollInterval how often files in directories without notifications are read
 * @param scanInterval how often the working directory of a job is listed for new step logs when it
 *     has no notifications
 * @param maxLineBytes the longest line kept whole; longer lines are cut
 * @param maxBytesPerPoll the most read from one file in one poll, so one noisy job cannot starve
 *     the others
 * @param grace how long a job's files are still read after it stopped being active
 * @param notifications whether file-system notifications (inotify) are used where they work; when
 *     false every file is polled
 * @param safetyPollInterval how often files and directories with notifications are read and listed
 *     anyway, in case a notification was lost
 * @param handlerThreads how many threads handle (diagnose) the lines read, all jobs together
 * @param maxQueuedBytes the memory one job's lines read and waiting for a handler thread may take
 *     (their text, and about {@value JobLines#LINE_OVERHEAD} bytes a line); once it is reached the
 *     job's files are read no further until its lines are handled. A read stops after the buffer
 *     (at most 64 KiB of the file) in which the queue became full, so it may go over by the lines
 *     of that buffer.
 */
public record LogSettings(
    Duration pollInterval,
    Duration scanInterval,
    int maxLineBytes,
    int maxBytesPerPoll,
    Duration grace,
    boolean notifications,
    Duration safetyPollInterval,
    int handlerThreads,
    int maxQueuedBytes) {

  /** As many handler threads as cores, at least two: one slow job never holds them all. */
  public static int defaultHandlerThreads() {
    return Math.max(2, Runtime.getRuntime().availableProcessors());
  }

  public static final LogSettings DEFAULTS =
      new LogSettings(
          Duration.ofMillis(200),
          Duration.ofSeconds(1),
          64 * 1024,
          4 * 1024 * 1024,
          Duration.ofSeconds(10),
          true,
          Duration.ofSeconds(5),
          defaultHandlerThreads(),
          256 * 1024);

  public LogSettings {
    if (handlerThreads < 1) {
      throw new IllegalArgumentException("handlerThreads must be at least 1: " + handlerThreads);
    }
    if (maxQueuedBytes < 1) {
      throw new IllegalArgumentException("maxQueuedBytes must be at least 1: " + maxQueuedBytes);
    }
  }

  /** The same settings with notifications on or off. */
  public LogSettings withNotifications(boolean on) {
    return new LogSettings(
        pollInterval,
        scanInterval,
        maxLineBytes,
        maxBytesPerPoll,
        grace,
        on,
        safetyPollInterval,
        handlerThreads,
        maxQueuedBytes);
  }
}
