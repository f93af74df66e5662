package dev.ajr.core.job;

import java.util.OptionalInt;

/**
 * A valid APS directive from a job comment.
 *
 * @param mode how the job is resumed
 * @param maxRequeueTimes the job's own {@code max_requeue_times}, if it gave one; the
 *     administrator's default applies otherwise, and the administrator's cap always
 */
public record Directive(AutoResumeMode mode, OptionalInt maxRequeueTimes) {

  /** The number of recoveries this job may have under the administrator's limits. */
  public int effectiveMaxRequeues(RequeueLimits limits) {
    return limits.effective(maxRequeueTimes);
  }
}
