package dev.ajr.core.store;

import dev.ajr.core.job.JobStatus;

/**
 * A filter and a page over jobs.
 *
 * @param user only this owner's jobs, or null for all
 * @param status only jobs with this status, or null for all
 * @param limit the page size, 1 or more
 * @param offset how many matching jobs to skip
 */
public record JobQuery(String user, JobStatus status, int limit, int offset) {

  public JobQuery {
    if (limit < 1 || offset < 0) {
      throw new IllegalArgumentException("bad page: limit " + limit + ", offset " + offset);
    }
  }
}
