package dev.ajr.core.job;

import java.util.OptionalInt;

/**
 * The administrator's limits on automatic recoveries of one job.
 *
 * @param defaultMax recoveries allowed when the job does not say ({@code max_requeue_times})
 * @param cap the most any job may ask for; a larger request is lowered to it
 */
public record RequeueLimits(int defaultMax, int cap) {

  public RequeueLimits {
    if (defaultMax < 0 || cap < 0) {
      throw new IllegalArgumentException(
          "requeue limits must not be negative: default " + defaultMax + ", cap " + cap);
    }
    if (defaultMax > cap) {
      throw new IllegalArgumentException(
          "the default max requeue times (" + defaultMax + ") is above the cap (" + cap + ")");
    }
  }

  /** The job's own request if any, else the default; never above the cap. */
  public int effective(OptionalInt requested) {
    return Math.min(requested.orElse(defaultMax), cap);
  }
}
