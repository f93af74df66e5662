package dev.ajr.server.http;

import dev.ajr.core.detect.Anomaly;
import dev.ajr.core.job.Attempt;
import dev.ajr.core.job.Job;
import dev.ajr.core.recovery.Decision;
import dev.ajr.core.store.JobFacets;
import dev.ajr.core.store.JobTimeline;
import java.time.Instant;
import java.util.List;

/**
 * The JSON shapes of the jobs list ({@code GET /api/v1/jobs}) and its filter values ({@code GET
 * /api/v1/jobs/facets}); see {@code openapi.yaml}. A list item has every field of {@link
 * JobViews.JobSummary} and the job's {@code timeline}, which the Workflows page draws: one mark per
 * attempt, a warning on each attempt with an anomaly, and the anomaly's decision in its tooltip.
 */
final class JobListViews {

  private JobListViews() {}

  record JobListItem(
      long jobId,
      String name,
      String user,
      String partition,
      String status,
      String statusReason,
      JobViews.DirectiveView directive,
      int attempts,
      Instant submitTime,
      Instant firstSeen,
      int gpus,
      List<TimelineAttempt> timeline) {}

  record TimelineAttempt(
      int index,
      String state,
      List<String> nodes,
      Instant startTime,
      Instant endTime,
      Integer exitCode,
      String endReason,
      List<TimelineAnomaly> anomalies) {}

  record TimelineAnomaly(
      long id,
      String type,
      String cause,
      String rule,
      String action,
      String line,
      String node,
      String evidence,
      boolean trusted,
      Instant lineWrittenAt,
      Instant detectedAt,
      TimelineDecision decision) {}

  record TimelineDecision(long id, String operation, String state, List<String> reasons) {}

  record Facets(
      List<String> users, List<String> partitions, List<String> causes, List<String> statuses) {}

  static JobListItem item(JobTimeline t) {
    Job job = t.job();
    return new JobListItem(
        job.jobId(),
        job.name(),
        job.user(),
        job.partition(),
        job.status().name(),
        job.statusReason(),
        JobViews.directive(job.directive()),
        t.attempts().size(),
        job.submitTime(),
        job.firstSeen(),
        job.gpus(),
        t.attempts().stream().map(JobListViews::attempt).toList());
  }

  static TimelineAttempt attempt(JobTimeline.AttemptEntry entry) {
    Attempt a = entry.attempt();
    return new TimelineAttempt(
        a.index(),
        a.state().name(),
        a.nodes(),
        a.startTime(),
        a.endTime(),
        a.exitCode(),
        a.endReason(),
        entry.anomalies().stream().map(JobListViews::anomaly).toList());
  }

  static TimelineAnomaly anomaly(JobTimeline.AnomalyEntry entry) {
    Anomaly a = entry.anomaly();
    Decision d = entry.decision();
    return new TimelineAnomaly(
        a.id(),
        a.type().name(),
        a.cause().name(),
        a.ruleId(),
        a.action().name(),
        a.line(),
        a.node(),
        a.evidence().name(),
        a.evidence().trusted(),
        a.lineWrittenAt(),
        a.detectedAt(),
        d == null
            ? null
            : new TimelineDecision(d.id(), d.operation().name(), d.state().name(), d.reasons()));
  }

  static Facets facets(JobFacets f) {
    return new Facets(f.users(), f.partitions(), f.causes(), f.statuses());
  }
}
