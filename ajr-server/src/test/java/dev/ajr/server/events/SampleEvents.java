package dev.ajr.server.events;

import dev.ajr.core.detect.Anomaly;
import dev.ajr.core.detect.AnomalyType;
import dev.ajr.core.detect.Cause;
import dev.ajr.core.detect.Evidence;
import dev.ajr.core.detect.RecoveryAction;
import dev.ajr.core.event.AjrEvent;
import dev.ajr.core.job.AttemptState;
import dev.ajr.core.job.AutoResumeMode;
import dev.ajr.core.job.Directive;
import dev.ajr.core.job.DirectiveResult;
import dev.ajr.core.job.Job;
import dev.ajr.core.job.JobStatus;
import dev.ajr.core.node.NodeEvent;
import dev.ajr.core.node.NodeHealth;
import dev.ajr.core.node.NodeRecord;
import dev.ajr.core.policy.ActionKind;
import dev.ajr.core.policy.Operation;
import dev.ajr.core.recovery.Action;
import dev.ajr.core.recovery.ActionState;
import dev.ajr.core.recovery.Decision;
import dev.ajr.core.recovery.DecisionState;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;

/** One event of each kind, as the installation guide's verification job produces them. */
final class SampleEvents {

  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  private SampleEvents() {}

  static Job job(long id) {
    return new Job(
        id,
        "ajr-verification-requeue-test",
        "alice",
        "debug",
        "/home/alice/run",
        "/home/alice/run/slurm-" + id + ".out",
        "",
        "{\"APS\": {\"auto_resume_mode\": \"requeue\", \"max_requeue_times\": 1}}",
        new DirectiveResult.Valid(new Directive(AutoResumeMode.REQUEUE, OptionalInt.of(1))),
        JobStatus.PENDING,
        "",
        T0.minusSeconds(5),
        T0,
        8);
  }

  static Anomaly anomaly(long jobId) {
    return new Anomaly(
        7,
        jobId,
        0,
        AnomalyType.CRASH,
        Cause.CRASH_SEGFAULT,
        "crash.segfault",
        RecoveryAction.REQUEUE,
        "Rank0: (1) segmentation fault: artificial segfault",
        "/home/alice/run/slurm-" + jobId + ".out",
        42,
        "node1",
        T0.plusSeconds(30),
        T0.plusMillis(30_100),
        T0.plusMillis(30_147),
        Evidence.JOB_OUTPUT);
  }

  static Action action(long jobId, ActionKind kind, ActionState state) {
    return new Action(
        11, 9, 0, kind, jobId, List.of(), state, 1, "verified: held", T0.plusSeconds(31), null);
  }

  /** One of each type, for job {@code jobId}, in the order a recovery produces them. */
  static List<AjrEvent> all(long jobId) {
    Decision decision =
        new Decision(
            9,
            jobId,
            0,
            Operation.RESTART,
            List.of("recovery 1 of 1", "max_requeue_times 1 from the job's directive"),
            7,
            DecisionState.PLANNED,
            false,
            "",
            T0.plusSeconds(31),
            null);
    return List.of(
        new AjrEvent.JobDiscovered(job(jobId)),
        new AjrEvent.AttemptStarted(jobId, 0, List.of("node1"), T0.plusSeconds(2)),
        new AjrEvent.AnomalyDetected(anomaly(jobId)),
        new AjrEvent.DecisionMade(
            decision, List.of(action(jobId, ActionKind.REQUEUE_HOLD, ActionState.PENDING))),
        new AjrEvent.ActionUpdated(
            jobId, action(jobId, ActionKind.REQUEUE_HOLD, ActionState.VERIFIED)),
        new AjrEvent.AttemptEnded(
            jobId, 0, AttemptState.KILLED, "killed by ajr: CRASH anomaly", T0.plusSeconds(32)),
        new AjrEvent.JobStatusChanged(
            jobId, JobStatus.STOPPED, "the requeue limit of 1 is reached"),
        new AjrEvent.NodeChanged(
            new NodeRecord("node1", NodeHealth.SUSPECT, "segfault on node1", "", 7, T0),
            new NodeEvent(
                3, "node1", T0, NodeEvent.Kind.SUSPECT, "segfault on node1", jobId, 7, "ajr")));
  }

  /** The routing keys of {@link #all}, in order. */
  static final List<String> KEYS =
      List.of(
          "job.discovered",
          "attempt.running",
          "anomaly.detected.crash_segfault",
          "decision.restart",
          "recovery.requeue_hold.verified",
          "attempt.killed",
          "job.status.stopped",
          "node.suspect");
}
