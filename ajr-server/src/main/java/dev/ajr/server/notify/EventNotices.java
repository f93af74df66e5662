package dev.ajr.server.notify;

import dev.ajr.core.detect.Anomaly;
import dev.ajr.core.event.AjrEvent;
import dev.ajr.core.job.Job;
import dev.ajr.core.job.JobStatus;
import dev.ajr.core.node.NodeEvent;
import dev.ajr.core.notify.Notice;
import dev.ajr.core.notify.NoticeKind;
import dev.ajr.core.recovery.Decision;
import dev.ajr.core.recovery.DecisionState;
import dev.ajr.core.store.RecoveryStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns events into notices, looking up the job (owner, partition, name) in the store. A recovery
 * is reported done or failed when the job's status changes after a decision that acts was made and
 * the decision is then final. Runs on the notifier thread only.
 */
final class EventNotices {

  private static final int MAX_LINE = 200;

  private final RecoveryStore store;

  /** Jobs with a recovery under way: job id to decision id. */
  private final Map<Long, Long> recovering = new HashMap<>();

  EventNotices(RecoveryStore store) {
    this.store = store;
  }

  /** Remembers the recoveries that were under way when ajr started (they are resumed). */
  void resumeFrom(List<Decision> unfinished) {
    unfinished.forEach(d -> recovering.put(d.jobId(), d.id()));
  }

  List<Notice> notices(AjrEvent event, Instant at) {
    return switch (event) {
      case AjrEvent.AnomalyDetected a -> List.of(anomaly(a.anomaly(), at));
      case AjrEvent.DecisionMade d -> {
        if (!d.decision().state().isFinal()) {
          recovering.put(d.decision().jobId(), d.decision().id());
        }
        yield List.of();
      }
      case AjrEvent.JobStatusChanged s -> statusChanged(s, at);
      case AjrEvent.NodeChanged n -> node(n, at);
      default -> List.of();
    };
  }

  private Notice anomaly(Anomaly a, Instant at) {
    Optional<Job> job = store.job(a.jobId());
    String line = a.line() == null ? "" : a.line().strip();
    if (line.length() > MAX_LINE) {
      line = line.substring(0, MAX_LINE) + "...";
    }
    String text =
        describe(a.jobId(), job)
            + ": "
            + a.cause()
            + (a.node() == null || a.node().isEmpty() ? "" : " on " + a.node())
            + " (attempt "
            + a.attemptIndex()
            + "): "
            + line;
    return notice(NoticeKind.ANOMALY, at, a.jobId(), job, a.cause().name(), a.node(), text);
  }

  private List<Notice> statusChanged(AjrEvent.JobStatusChanged s, Instant at) {
    if (s.status() == JobStatus.RECOVERING) {
      return List.of();
    }
    Optional<Job> job = store.job(s.jobId());
    String reason = s.reason() == null || s.reason().isBlank() ? "" : ": " + s.reason();
    Long decisionId = recovering.remove(s.jobId());
    String cause = decisionId == null ? "" : cause(decisionId);
    if (decisionId != null) {
      Optional<Decision> d = store.decision(decisionId);
      if (d.isPresent() && d.get().state() == DecisionState.FAILED) {
        return List.of(
            notice(
                NoticeKind.RECOVERY_FAILED,
                at,
                s.jobId(),
                job,
                cause,
                "",
                describe(s.jobId(), job) + ": recovery failed" + strip(reason, "recovery failed")));
      }
      if (d.isPresent() && d.get().state() == DecisionState.DONE && !d.get().stopsJob()) {
        return List.of(
            notice(
                NoticeKind.RECOVERY_DONE,
                at,
                s.jobId(),
                job,
                cause,
                "",
                describe(s.jobId(), job) + ": recovered" + reason));
      }
      if (d.isPresent() && !d.get().state().isFinal()) {
        recovering.put(s.jobId(), decisionId);
      }
    }
    if (s.status() == JobStatus.STOPPED) {
      return List.of(
          notice(
              NoticeKind.JOB_STOPPED,
              at,
              s.jobId(),
              job,
              cause,
              "",
              describe(s.jobId(), job) + ": stopped by ajr" + reason));
    }
    if (s.status() == JobStatus.LOST) {
      return List.of(
          notice(
              NoticeKind.JOB_LOST,
              at,
              s.jobId(),
              job,
              cause,
              "",
              describe(s.jobId(), job) + ": lost" + reason));
    }
    return List.of();
  }

  private List<Notice> node(AjrEvent.NodeChanged n, Instant at) {
    NodeEvent e = n.event();
    NoticeKind kind =
        switch (e.kind()) {
          case SUSPECT -> NoticeKind.NODE_SUSPECT;
          case DRAINED -> NoticeKind.NODE_DRAINED;
          case DRAIN_HELD -> NoticeKind.NODE_HELD;
          case DRAIN_FAILED -> NoticeKind.NODE_DRAIN_FAILED;
          case RESUMED -> NoticeKind.NODE_RESUMED;
          default -> null;
        };
    if (kind == null) {
      return List.of();
    }
    Optional<Job> job = e.jobId() == 0 ? Optional.empty() : store.job(e.jobId());
    String cause = "";
    if (e.anomalyId() != 0 && e.jobId() != 0) {
      cause =
          store.anomalies(e.jobId()).stream()
              .filter(a -> a.id() == e.anomalyId())
              .map(a -> a.cause().name())
              .findFirst()
              .orElse("");
    }
    String verb =
        switch (kind) {
          case NODE_SUSPECT -> "suspect";
          case NODE_DRAINED -> "drained";
          case NODE_HELD -> "drain held back";
          case NODE_DRAIN_FAILED -> "drain failed";
          default -> "back in service";
        };
    String text =
        "node "
            + e.node()
            + ": "
            + verb
            + (e.reason() == null || e.reason().isBlank() ? "" : ": " + e.reason())
            + (e.actor() != null && !e.actor().isBlank() && !e.actor().equals("ajr")
                ? " (by " + e.actor() + ")"
                : "");
    // node notices go to operators, never to a job's owner
    return List.of(
        new Notice(
            kind,
            at,
            e.jobId(),
            job.map(Job::name).orElse(""),
            "",
            job.map(Job::partition).orElse(""),
            cause,
            e.node(),
            text));
  }

  private String cause(long decisionId) {
    return store
        .decision(decisionId)
        .flatMap(d ->
            store.anomalies(d.jobId()).stream().filter(a -> a.id() == d.anomalyId()).findFirst())
        .map(a -> a.cause().name())
        .orElse("");
  }

  private static Notice notice(
      NoticeKind kind,
      Instant at,
      long jobId,
      Optional<Job> job,
      String cause,
      String node,
      String text) {
    return new Notice(
        kind,
        at,
        jobId,
        job.map(Job::name).orElse(""),
        job.map(Job::user).orElse(""),
        job.map(Job::partition).orElse(""),
        cause,
        node,
        text);
  }

  private static String describe(long jobId, Optional<Job> job) {
    if (job.isEmpty()) {
      return "job " + jobId;
    }
    Job j = job.get();
    return "job "
        + jobId
        + " ("
        + (j.name().isEmpty() ? "" : j.name() + ", ")
        + "user "
        + j.user()
        + (j.partition().isEmpty() ? "" : ", partition " + j.partition())
        + ")";
  }

  private static String strip(String reason, String prefix) {
    return reason.startsWith(": " + prefix) ? reason.substring(2 + prefix.length()) : reason;
  }
}
