package dev.ajr.core.event;

import dev.ajr.core.detect.Anomaly;
import dev.ajr.core.job.AttemptState;
import dev.ajr.core.job.Job;
import dev.ajr.core.job.JobStatus;
import dev.ajr.core.recovery.Action;
import dev.ajr.core.recovery.Decision;
import java.time.Instant;
import java.util.List;

/** Something ajr saw or did. Published after it is stored. */
public sealed interface AjrEvent {

  long jobId();

  record JobDiscovered(Job job) implements AjrEvent {
    @Override
    public long jobId() {
      return job.jobId();
    }
  }

  record AttemptStarted(long jobId, int index, List<String> nodes, Instant at)
      implements AjrEvent {}

  record AttemptEnded(long jobId, int index, AttemptState state, String reason, Instant at)
      implements AjrEvent {}

  record AnomalyDetected(Anomaly anomaly) implements AjrEvent {
    @Override
    public long jobId() {
      return anomaly.jobId();
    }
  }

  record DecisionMade(Decision decision, List<Action> actions) implements AjrEvent {
    @Override
    public long jobId() {
      return decision.jobId();
    }
  }

  record ActionUpdated(long jobId, Action action) implements AjrEvent {}

  record JobStatusChanged(long jobId, JobStatus status, String reason) implements AjrEvent {}

  /** A node's health changed or something happened to it; {@link #jobId} is 0 for none. */
  record NodeChanged(dev.ajr.core.node.NodeRecord node, dev.ajr.core.node.NodeEvent event)
      implements AjrEvent {
    @Override
    public long jobId() {
      return event.jobId();
    }
  }
}
