package dev.ajr.core.testing;

import dev.ajr.core.detect.Anomaly;
import dev.ajr.core.detect.AnomalyType;
import dev.ajr.core.detect.Cause;
import dev.ajr.core.detect.Evidence;
import dev.ajr.core.detect.RecoveryAction;
import dev.ajr.core.job.Attempt;
import dev.ajr.core.job.AttemptState;
import dev.ajr.core.job.AutoResumeMode;
import dev.ajr.core.job.Directive;
import dev.ajr.core.job.DirectiveResult;
import dev.ajr.core.job.Job;
import dev.ajr.core.job.JobStatus;
import dev.ajr.core.job.RequeueLimits;
import dev.ajr.core.policy.PolicySettings;
import dev.ajr.core.recovery.DecisionSettings;
import dev.ajr.core.recovery.RecoveryMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;

/** Small factories for domain objects used across tests. */
public final class Fixtures {

  public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  public static final String SEGFAULT_LINE = "Rank0: (1) segmentation fault: artificial segfault";

  private Fixtures() {}

  public static DirectiveResult requeue(int max) {
    return new DirectiveResult.Valid(new Directive(AutoResumeMode.REQUEUE, OptionalInt.of(max)));
  }

  public static DirectiveResult requeueWithoutMax() {
    return new DirectiveResult.Valid(new Directive(AutoResumeMode.REQUEUE, OptionalInt.empty()));
  }

  public static DirectiveResult singleton(int max) {
    return new DirectiveResult.Valid(
        new Directive(AutoResumeMode.SINGLETON_DEPENDENCY, OptionalInt.of(max)));
  }

  /**
   * How an anomaly handler decides in most tests: within {@code limits}, with the policy's default
   * settings, acting on every partition, deciding on a cascade symptom at once.
   */
  public static DecisionSettings decisionSettings(RequeueLimits limits) {
    return new DecisionSettings(
        limits, PolicySettings.DEFAULTS, RecoveryMode.ACT_EVERYWHERE, Duration.ZERO);
  }

  public static Job job(long jobId, DirectiveResult directive, JobStatus status) {
    return new Job(
        jobId,
        "train",
        "alice",
        "debug",
        "/work/alice",
        "/work/alice/train.out",
        "/work/alice/train.out",
        "",
        directive,
        status,
        "",
        T0,
        T0);
  }

  public static Attempt attempt(long jobId, int index, AttemptState state) {
    return new Attempt(
        jobId,
        index,
        state,
        List.of("node1"),
        T0.plusSeconds(1),
        state.isFinal() ? T0.plusSeconds(60) : null,
        state.isFinal() ? 139 : null,
        "");
  }

  /** An anomaly with the default action of its cause (README.md's cause table). */
  public static Anomaly anomaly(long jobId, int attemptIndex, Cause cause) {
    RecoveryAction action =
        switch (cause) {
          case OOM_GPU, OOM_HOST, PYTHON_USER_ERROR, TRAINING_DIVERGENCE -> RecoveryAction.STOP;
          case GPU_HARDWARE, NETWORK_INFINIBAND -> RecoveryAction.REQUEUE_EXCLUDE_NODE;
          case BENIGN -> RecoveryAction.NONE;
          default -> RecoveryAction.REQUEUE;
        };
    return anomaly(jobId, attemptIndex, cause, action);
  }

  public static Anomaly anomaly(long jobId, int attemptIndex, Cause cause, RecoveryAction action) {
    return new Anomaly(
        7,
        jobId,
        attemptIndex,
        AnomalyType.CRASH,
        cause,
        "crash.segfault",
        action,
        SEGFAULT_LINE,
        "/work/alice/train.out",
        12,
        "node1",
        T0.plusSeconds(30),
        T0.plusSeconds(31),
        T0.plusSeconds(31),
        Evidence.JOB_OUTPUT);
  }
}
