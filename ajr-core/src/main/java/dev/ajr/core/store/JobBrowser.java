package dev.ajr.core.store;

import java.util.List;

/**
 * The read side of the jobs pages: filtered, paged job lists with each job's timeline, and the
 * values to filter by. {@link RecoveryStore} stays the port that writes. Implementations answer a
 * page with a fixed number of queries, however many jobs, attempts and anomalies it holds.
 * Thread-safe; a method that fails throws {@link StoreException}.
 */
public interface JobBrowser {

  /** The page of jobs the filter selects, newest first (see {@link JobFilter}). */
  List<JobTimeline> jobs(JobFilter filter);

  /** How many jobs the filter selects, all pages together. */
  int count(JobFilter filter);

  /**
   * The distinct users, partitions, causes and statuses of the jobs ajr knows.
   *
   * @param user only this owner's jobs (and then only this user), or null for all jobs
   */
  JobFacets facets(String user);
}
