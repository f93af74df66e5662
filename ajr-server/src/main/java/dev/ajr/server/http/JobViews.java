package dev.ajr.server.http;

import dev.ajr.core.detect.Anomaly;
import dev.ajr.core.detect.ExcerptLine;
import dev.ajr.core.job.Attempt;
import dev.ajr.core.job.DirectiveResult;
import dev.ajr.core.job.Job;
import dev.ajr.core.recovery.Action;
import dev.ajr.core.recovery.Decision;
import dev.ajr.core.store.RecoveryStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The JSON shapes of the jobs API (see {@code openapi.yaml}). */
final class JobViews {

  private JobViews() {}

  record DirectiveView(String status, String mode, Integer maxRequeueTimes, String problem) {}

  record JobSummary(
      long jobId,
      String name,
      String user,
      String partition,
      String status,
      String statusReason,
      DirectiveView directive,
      int attempts,
      Instant submitTime,
      Instant firstSeen,
      int gpus) {}

  record AttemptView(
      int index,
      String state,
      List<String> nodes,
      Instant startTime,
      Instant endTime,
      Integer exitCode,
      String endReason) {}

  record AnomalyView(
      long id,
      int attempt,
      String type,
      String cause,
      String rule,
      String action,
      String line,
      String source,
      long lineNumber,
      String node,
      String evidence,
      boolean trusted,
      Instant lineWrittenAt,
      Instant detectedAt,
      List<ExcerptLineView> excerpt) {}

  /** One line of the log excerpt around an anomaly's root line (job output: untrusted text). */
  record ExcerptLineView(long lineNumber, String text, boolean root) {}

  record ActionView(
      int seq,
      String kind,
      long targetJobId,
      List<String> nodes,
      String state,
      int tries,
      String outcome,
      Instant startedAt,
      Instant finishedAt) {}

  record DecisionView(
      long id,
      int attempt,
      String operation,
      List<String> reasons,
      long anomalyId,
      String state,
      Instant createdAt,
      Instant finishedAt,
      List<ActionView> actions) {}

  record JobDetail(
      JobSummary job,
      String workDir,
      String stdOut,
      String comment,
      List<AttemptView> attempts,
      List<AnomalyView> anomalies,
      List<DecisionView> decisions) {}

  record Page<T>(List<T> items, int total, int limit, int offset) {}

  static JobSummary summary(Job job, int attempts) {
    return new JobSummary(
        job.jobId(),
        job.name(),
        job.user(),
        job.partition(),
        job.status().name(),
        job.statusReason(),
        directive(job.directive()),
        attempts,
        job.submitTime(),
        job.firstSeen(),
        job.gpus());
  }

  static DirectiveView directive(DirectiveResult d) {
    return switch (d) {
      case DirectiveResult.Absent a -> new DirectiveView("ABSENT", null, null, null);
      case DirectiveResult.Invalid i -> new DirectiveView("INVALID", null, null, i.problem());
      case DirectiveResult.Valid v ->
          new DirectiveView(
              "VALID",
              v.directive().mode().directiveValue(),
              v.directive().maxRequeueTimes().isPresent()
                  ? v.directive().maxRequeueTimes().getAsInt()
                  : null,
              null);
    };
  }

  static JobDetail detail(Job job, RecoveryStore store) {
    List<Attempt> attempts = store.attempts(job.jobId());
    Map<Long, List<ExcerptLine>> excerpts = store.excerpts(job.jobId());
    List<AnomalyView> anomalies =
        store.anomalies(job.jobId()).stream()
            .map(a -> anomaly(a, excerpts.getOrDefault(a.id(), List.of())))
            .toList();
    List<DecisionView> decisions =
        store.decisions(job.jobId()).stream().map(d -> decision(d, store.actions(d.id()))).toList();
    return new JobDetail(
        summary(job, attempts.size()),
        job.workDir(),
        job.stdOut(),
        job.comment(),
        attempts.stream().map(JobViews::attempt).toList(),
        anomalies,
        decisions);
  }

  static AttemptView attempt(Attempt a) {
    return new AttemptView(
        a.index(),
        a.state().name(),
        a.nodes(),
        a.startTime(),
        a.endTime(),
        a.exitCode(),
        a.endReason());
  }

  /** The anomaly with its log excerpt (empty for anomalies stored before excerpts existed). */
  static AnomalyView anomaly(Anomaly a, List<ExcerptLine> excerpt) {
    return new AnomalyView(
        a.id(),
        a.attemptIndex(),
        a.type().name(),
        a.cause().name(),
        a.ruleId(),
        a.action().name(),
        a.line(),
        a.source(),
        a.lineNumber(),
        a.node(),
        a.evidence().name(),
        a.evidence().trusted(),
        a.lineWrittenAt(),
        a.detectedAt(),
        excerpt.stream()
            .map(l -> new ExcerptLineView(l.lineNumber(), l.text(), l.root()))
            .toList());
  }

  static DecisionView decision(Decision d, List<Action> actions) {
    return new DecisionView(
        d.id(),
        d.attemptIndex(),
        d.operation().name(),
        d.reasons(),
        d.anomalyId(),
        d.state().name(),
        d.createdAt(),
        d.finishedAt(),
        actions.stream()
            .map(a ->
                new ActionView(
                    a.seq(),
                    a.kind().name(),
                    a.targetJobId(),
                    a.nodes(),
                    a.state().name(),
                    a.tries(),
                    a.outcome(),
                    a.startedAt(),
                    a.finishedAt()))
            .toList());
  }
}
