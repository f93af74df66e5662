package dev.ajr.core.policy;

import static dev.ajr.core.testing.Fixtures.anomaly;
import static dev.ajr.core.testing.Fixtures.job;
import static dev.ajr.core.testing.Fixtures.requeue;
import static dev.ajr.core.testing.Fixtures.singleton;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.core.detect.Anomaly;
import dev.ajr.core.detect.Cause;
import dev.ajr.core.detect.RecoveryAction;
import dev.ajr.core.job.Attempt;
import dev.ajr.core.job.AttemptState;
import dev.ajr.core.job.DirectiveResult;
import dev.ajr.core.job.JobStatus;
import dev.ajr.core.job.RequeueLimits;
import dev.ajr.core.testing.Fixtures;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Which node a decision keeps the job off, and what its reasons say when the node is unknown. */
class RecoveryPolicyNodeTest {

  private static final long JOB = 42;
  private static final long SUCCESSOR = 43;

  private final RecoveryPolicy policy = new RecoveryPolicy();

  private static PolicyInput input(
      Cause cause, String node, List<String> allocation, DirectiveResult directive) {
    Anomaly a = anomaly(JOB, 0, cause, RecoveryAction.REQUEUE_EXCLUDE_NODE);
    Anomaly withNode =
        new Anomaly(
            a.id(),
            a.jobId(),
            a.attemptIndex(),
            a.type(),
            a.cause(),
            a.ruleId(),
            a.action(),
            "NVRM: Xid (PCI:0000:3b:00): 79, pid=1234, name=python, GPU has fallen off the bus.",
            a.source(),
            a.lineNumber(),
            node,
            a.lineWrittenAt(),
            a.lineReadAt(),
            a.detectedAt(),
            a.evidence(),
            a.charged());
    Attempt attempt =
        new Attempt(
            JOB, 0, AttemptState.RUNNING, allocation, Fixtures.T0.plusSeconds(1), null, null, "");
    return RecoveryPolicyTest.input(
        job(JOB, directive, JobStatus.RUNNING),
        attempt,
        true,
        withNode,
        RecoveryPolicyTest.restarts(0, 0),
        OptionalLong.of(SUCCESSOR),
        new RequeueLimits(1, 3));
  }

  private static List<String> excluded(DecisionPlan plan) {
    return plan.actions().stream()
        .filter(a -> a.kind() == ActionKind.EXCLUDE_NODES)
        .flatMap(a -> a.nodes().stream())
        .toList();
  }

  @Test
  void theAnomalysNodeIsExcludedAndNamed() {
    DecisionPlan plan =
        policy.decide(
            input(
                Cause.GPU_HARDWARE, "gpu-node-7", List.of("gpu-node-7", "gpu-node-8"), requeue(3)));

    assertThat(plan.operation()).isEqualTo(Operation.RESTART);
    assertThat(excluded(plan)).containsExactly("gpu-node-7");
    assertThat(plan.reasons())
        .contains(
            "GPU fault on gpu-node-7: the next attempt will not run on gpu-node-7 (the node the"
                + " failure points at)");
  }

  @Test
  void anUnknownNodeOnSeveralNodesRestartsWithoutExclusionAndSaysSo() {
    DecisionPlan plan =
        policy.decide(
            input(Cause.GPU_HARDWARE, "", List.of("gpu-node-7", "gpu-node-8"), requeue(3)));

    assertThat(plan.operation()).isEqualTo(Operation.RESTART);
    assertThat(excluded(plan)).isEmpty();
    assertThat(plan.reasons())
        .contains(
            "GPU fault on an unknown node: restarted without excluding a node (the log does not"
                + " say which node of the 2 the attempt ran on)");
  }

  @Test
  void anUnknownInfinibandNodeOfASingletonChainSaysTheSuccessorIsReleasedAsItIs() {
    DecisionPlan plan =
        policy.decide(input(Cause.NETWORK_INFINIBAND, "", List.of("n1", "n2", "n3"), singleton(3)));

    assertThat(plan.operation()).isEqualTo(Operation.RELEASE);
    assertThat(excluded(plan)).isEmpty();
    assertThat(String.join(" ", plan.reasons()))
        .contains(
            "InfiniBand fault on an unknown node: the successor is released without excluding a"
                + " node");
  }

  @Test
  void aOneNodeAttemptsNodeIsExcludedWhenTheAnomalyNamesNone() {
    DecisionPlan plan =
        policy.decide(input(Cause.GPU_HARDWARE, "", List.of("gpu-node-7"), requeue(3)));

    assertThat(excluded(plan)).containsExactly("gpu-node-7");
  }

  @Test
  void aNodeNameThatIsNoNodeNameIsNeverExcluded() {
    for (String bad : new String[] {"-rf", "0000:3b:00", "a/b", "node 7"}) {
      DecisionPlan plan =
          policy.decide(input(Cause.GPU_HARDWARE, bad, List.of("n1", "n2"), requeue(3)));

      assertThat(excluded(plan)).as(bad).isEmpty();
      assertThat(String.join(" ", plan.reasons())).as(bad).contains("on an unknown node");
    }
  }
}
