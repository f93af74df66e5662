package dev.ajr.core.store;

import dev.ajr.core.detect.Cause;
import dev.ajr.core.job.JobStatus;
import java.time.Instant;

/**
 * Which jobs a list shows, and which page of them. Every filter is optional (null: no filter) and
 * they combine with AND. Jobs are ordered newest first: by their submit time (the time ajr first
 * saw them when Slurm gave none), then by job id, both descending.
 *
 * @param user only this owner's jobs
 * @param status only jobs with this status
 * @param cause only jobs with at least one anomaly of this root cause
 * @param partition only jobs of this Slurm partition
 * @param since only jobs submitted at or after this time
 * @param until only jobs submitted before this time
 * @param jobId only the job with this id
 * @param nameContains only jobs whose name contains this text, ignoring case
 * @param limit the page size, 1 or more
 * @param offset how many matching jobs to skip, 0 or more
 */
public record JobFilter(
    String user,
    JobStatus status,
    Cause cause,
    String partition,
    Instant since,
    Instant until,
    Long jobId,
    String nameContains,
    int limit,
    int offset) {

  /** The most digits a job id searched for may have (it must fit a long). */
  public static final int MAX_JOB_ID_DIGITS = 18;

  public JobFilter {
    if (limit < 1 || offset < 0) {
      throw new IllegalArgumentException("bad page: limit " + limit + ", offset " + offset);
    }
  }

  /** All jobs, one page. */
  public static JobFilter page(int limit, int offset) {
    return new JobFilter(null, null, null, null, null, null, null, null, limit, offset);
  }

  public JobFilter withUser(String user) {
    return new JobFilter(
        user, status, cause, partition, since, until, jobId, nameContains, limit, offset);
  }

  public JobFilter withStatus(JobStatus status) {
    return new JobFilter(
        user, status, cause, partition, since, until, jobId, nameContains, limit, offset);
  }

  public JobFilter withCause(Cause cause) {
    return new JobFilter(
        user, status, cause, partition, since, until, jobId, nameContains, limit, offset);
  }

  public JobFilter withPartition(String partition) {
    return new JobFilter(
        user, status, cause, partition, since, until, jobId, nameContains, limit, offset);
  }

  public JobFilter withSince(Instant since) {
    return new JobFilter(
        user, status, cause, partition, since, until, jobId, nameContains, limit, offset);
  }

  public JobFilter withUntil(Instant until) {
    return new JobFilter(
        user, status, cause, partition, since, until, jobId, nameContains, limit, offset);
  }

  /**
   * A search as a person types it: all digits is that job id exactly, anything else is a
   * case-insensitive part of the job name; blank text searches nothing.
   *
   * @throws IllegalArgumentException when the digits are more than a job id can have
   */
  public JobFilter withSearch(String text) {
    if (text == null || text.isBlank()) {
      return new JobFilter(user, status, cause, partition, since, until, null, null, limit, offset);
    }
    String q = text.strip();
    if (q.chars().allMatch(c -> c >= '0' && c <= '9')) {
      if (q.length() > MAX_JOB_ID_DIGITS) {
        throw new IllegalArgumentException(
            "a job id has at most " + MAX_JOB_ID_DIGITS + " digits, not " + q.length());
      }
      return new JobFilter(
          user, status, cause, partition, since, until, Long.parseLong(q), null, limit, offset);
    }
    return new JobFilter(user, status, cause, partition, since, until, null, q, limit, offset);
  }
}
