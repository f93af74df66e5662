package dev.ajr.core.progress;

import java.time.Duration;

/**
 * When a running attempt counts as hung.
 *
 * @param floor never less than this without progress
 * @param multiple how many times the attempt's typical interval between progress lines
 * @param startupGrace how long an attempt may run before its first progress line, when progress is
 *     expected (an earlier attempt showed some, or the job set {@code hang_timeout})
 */
public record HangSettings(Duration floor, int multiple, Duration startupGrace) {

  public static final HangSettings DEFAULTS =
      new HangSettings(Duration.ofMinutes(10), 5, Duration.ofMinutes(30));
}
