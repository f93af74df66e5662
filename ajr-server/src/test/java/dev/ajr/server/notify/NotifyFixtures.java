package dev.ajr.server.notify;

import dev.ajr.core.detect.Anomaly;
import dev.ajr.core.detect.AnomalyType;
import dev.ajr.core.detect.Cause;
import dev.ajr.core.detect.Evidence;
import dev.ajr.core.detect.RecoveryAction;
import dev.ajr.core.event.AjrEvent;
import dev.ajr.core.job.DirectiveResult;
import dev.ajr.core.job.Job;
import dev.ajr.core.job.JobStatus;
import dev.ajr.core.node.NodeEvent;
import dev.ajr.core.node.NodeHealth;
import dev.ajr.core.node.NodeRecord;
import java.time.Instant;

final class NotifyFixtures {

  static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

  private NotifyFixtures() {}

  static Job job(long id, String user, String partition) {
    return new Job(
        id,
        "train-" + id,
        user,
        partition,
        "/home/" + user,
        "/home/" + user + "/slurm-" + id + ".out",
        "",
        "",
        DirectiveResult.ABSENT,
        JobStatus.RUNNING,
        "",
        T0.minusSeconds(60),
        T0);
  }

  static Anomaly anomaly(long id, long jobId, Cause cause, String node) {
    return new Anomaly(
        id,
        jobId,
        0,
        AnomalyType.CRASH,
        cause,
        "rule." + cause.name().toLowerCase(),
        RecoveryAction.REQUEUE,
        cause + " happened here <&>",
        "/home/x/slurm-" + jobId + ".out",
        42,
        node,
        T0,
        T0,
        T0,
        Evidence.JOB_OUTPUT);
  }

  static AjrEvent.AnomalyDetected failed(long jobId, Cause cause, String node) {
    return new AjrEvent.AnomalyDetected(anomaly(jobId * 10, jobId, cause, node));
  }

  static AjrEvent.NodeChanged held(String node, long jobId) {
    NodeRecord r = new NodeRecord(node, NodeHealth.SUSPECT, "blast radius", "", 0, T0);
    return new AjrEvent.NodeChanged(
        r,
        new NodeEvent(
            1,
            node,
            T0,
            NodeEvent.Kind.DRAIN_HELD,
            "drain held: 10 drains within 1h",
            jobId,
            0,
            "ajr"));
  }
}
