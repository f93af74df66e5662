package dev.ajr.server.http;

import dev.ajr.core.detect.Cause;
import dev.ajr.core.job.Job;
import dev.ajr.core.job.JobStatus;
import dev.ajr.core.store.JobBrowser;
import dev.ajr.core.store.JobFilter;
import dev.ajr.core.store.RecoveryStore;
import dev.ajr.server.auth.Principal;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The jobs: {@code GET /api/v1/jobs} (filtered, paged, each job with its timeline: the Workflows
 * page), {@code GET /api/v1/jobs/facets} (the values to filter by) and {@code GET
 * /api/v1/jobs/{jobId}} (one job with its attempts, anomalies, decisions and actions).
 *
 * <p>Contract: filters {@code user}, {@code status}, {@code cause}, {@code partition}, {@code
 * since}, {@code until} (ISO-8601 instants; since inclusive, until exclusive) and {@code q} (all
 * digits: that job id; else part of the name, ignoring case) are optional and combine; an empty
 * value is no filter. A bad value is a 400 that says what is allowed. A viewer sees only their own
 * jobs: asking for another user is a 403, the facets hold only their own user and the values of
 * their own jobs, and another user's job is "not found" rather than "forbidden", so job ids do not
 * leak.
 */
final class JobRoutes {

  private final JobBrowser browser;
  private final RecoveryStore store;

  JobRoutes(JobBrowser browser, RecoveryStore store) {
    this.browser = browser;
    this.store = store;
  }

  Reply list(Call call) {
    JobFilter filter = filter(call.query(), call.caller());
    List<JobListViews.JobListItem> items =
        browser.jobs(filter).stream().map(JobListViews::item).toList();
    return new Reply(
        200, new JobViews.Page<>(items, browser.count(filter), filter.limit(), filter.offset()));
  }

  Reply facets(Call call) {
    Principal caller = call.caller();
    String own = caller.role().seesAllJobs() ? null : caller.username();
    return new Reply(200, JobListViews.facets(browser.facets(own)));
  }

  Reply show(Call call) {
    long jobId = call.id("jobId");
    Principal caller = call.caller();
    Optional<Job> job = store.job(jobId);
    if (job.isEmpty()
        || !caller.role().seesAllJobs() && !job.get().user().equals(caller.username())) {
      throw new ApiException(404, "not_found", "no job " + jobId + " is known to ajr");
    }
    return new Reply(200, JobViews.detail(job.get(), store));
  }

  /** The filter a request asks for, with a viewer held to their own jobs. */
  static JobFilter filter(Map<String, String> q, Principal caller) {
    int limit =
        RequestParams.strictInteger(
            q, "limit", RequestParams.DEFAULT_LIMIT, 1, RequestParams.MAX_LIMIT);
    int offset = RequestParams.strictInteger(q, "offset", 0, 0, Integer.MAX_VALUE);
    String user = value(q, "user");
    if (!caller.role().seesAllJobs()) {
      if (user != null && !user.equals(caller.username())) {
        throw new ApiException(403, "forbidden", "a viewer sees only their own jobs");
      }
      user = caller.username();
    }
    JobFilter filter =
        JobFilter.page(limit, offset)
            .withUser(user)
            .withStatus(named(q, "status", JobStatus.class))
            .withCause(named(q, "cause", Cause.class))
            .withPartition(value(q, "partition"))
            .withSince(instant(q, "since"))
            .withUntil(instant(q, "until"));
    if (filter.since() != null
        && filter.until() != null
        && !filter.since().isBefore(filter.until())) {
      throw new ApiException(400, "bad_request", "since must be before until");
    }
    try {
      return filter.withSearch(value(q, "q"));
    } catch (IllegalArgumentException e) {
      throw new ApiException(
          400, "bad_request", "q is a job id (digits) or part of a job name; " + e.getMessage());
    }
  }

  /** The parameter's value, or null when it is absent or empty (an unset form field). */
  private static String value(Map<String, String> q, String name) {
    String v = q.get(name);
    return v == null || v.isBlank() ? null : v.strip();
  }

  private static <E extends Enum<E>> E named(Map<String, String> q, String name, Class<E> type) {
    String v = value(q, name);
    if (v == null) {
      return null;
    }
    try {
      return Enum.valueOf(type, v.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ApiException(
          400,
          "bad_request",
          "unknown " + name + " \"" + v + "\"; one of " + Arrays.toString(type.getEnumConstants()));
    }
  }

  private static Instant instant(Map<String, String> q, String name) {
    return RequestParams.instant(q, name, null);
  }
}
