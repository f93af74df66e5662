package dev.ajr.core.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.core.detect.AnomalyType;
import dev.ajr.core.detect.Cause;
import dev.ajr.core.detect.Evidence;
import dev.ajr.core.detect.LogLine;
import dev.ajr.core.detect.RecoveryAction;
import dev.ajr.core.detect.Repeat;
import dev.ajr.core.diagnosis.Rule;
import dev.ajr.core.diagnosis.RuleEngine;
import dev.ajr.core.diagnosis.RulePattern;
import dev.ajr.core.diagnosis.Severity;
import dev.ajr.core.job.Attempt;
import dev.ajr.core.job.AttemptState;
import dev.ajr.core.job.JobStatus;
import dev.ajr.core.job.RequeueLimits;
import dev.ajr.core.policy.ActionKind;
import dev.ajr.core.store.JobLocks;
import dev.ajr.core.testing.Fixtures;
import dev.ajr.core.testing.InMemoryRecoveryStore;
import dev.ajr.core.testing.MutableClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The node a GPU or InfiniBand failure is attributed to in the live pipeline, and so the node the
 * decision keeps the job off: through the rule engine's classification, the line's prefixes and the
 * attempt's allocation.
 */
class AnomalyHandlerNodeTest {

  private static final long JOB = 42;

  private static Rule rule(String id, Cause cause, String literal, String pattern) {
    return new Rule(
        id,
        cause,
        AnomalyType.CRASH,
        RecoveryAction.REQUEUE_EXCLUDE_NODE,
        Severity.CRITICAL,
        40,
        false,
        true,
        Repeat.ONCE,
        List.of(literal),
        List.of(RulePattern.compile(pattern)),
        List.of(),
        List.of(),
        List.of(),
        "",
        "test");
  }

  /** Simplified forms of gpu.xid.hardware and nccl.ib-completion-error. */
  private static final RuleEngine ENGINE =
      new RuleEngine(
          List.of(
              rule(
                  "gpu.xid.hardware",
                  Cause.GPU_HARDWARE,
                  "xid",
                  "NVRM: Xid \\(PCI:(?<pci>[0-9a-f:]+)\\): 79\\b"),
              rule(
                  "nccl.ib-completion-error",
                  Cause.NCCL_ERROR,
                  "got completion",
                  "NCCL WARN NET/IB : Got completion .*with status=12"),
              rule(
                  "slurm.node-failure",
                  Cause.SLURM_SCHEDULER,
                  "node failure on",
                  "Node failure on (?<node>\\S+)")));

  private static final String DMESG_XID =
      "[Fri Aug 30 11:43:14 2024] NVRM: Xid (PCI:0000:cb:00): 79, pid=1797828, GPU has fallen"
          + " off the bus.";

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:10:00Z"));
  private final InMemoryRecoveryStore store = new InMemoryRecoveryStore();
  private final List<Long> executed = new ArrayList<>();
  private final AnomalyHandler handler =
      new AnomalyHandler(
          ENGINE,
          store,
          List::of,
          event -> {},
          new JobLocks(),
          clock,
          executed::add,
          Fixtures.decisionSettings(new RequeueLimits(1, 3)));

  private void runningOn(String... nodes) {
    store.saveJob(Fixtures.job(JOB, Fixtures.requeue(3), JobStatus.RUNNING));
    store.saveAttempt(
        new Attempt(
            JOB,
            0,
            AttemptState.RUNNING,
            List.of(nodes),
            Fixtures.T0.plusSeconds(1),
            null,
            null,
            ""));
  }

  private LogLine line(String text, Evidence evidence) {
    return new LogLine(
        text, "/work/alice/train.out", 7, clock.instant(), clock.instant(), false, evidence);
  }

  private String anomalyNode() {
    return store.anomalies(JOB).get(0).node();
  }

  private List<String> excluded() {
    Decision decision = store.decisions(JOB).get(0);
    return store.actions(decision.id()).stream()
        .filter(a -> a.kind() == ActionKind.EXCLUDE_NODES)
        .flatMap(a -> a.nodes().stream())
        .toList();
  }

  private String reasons() {
    return String.join(" | ", store.decisions(JOB).get(0).reasons());
  }

  @Test
  void aKernelLineIsTheAgentsNodes() {
    runningOn("gpu-node-7", "gpu-node-8");

    handler.onLine(JOB, 0, "gpu-node-8", line(DMESG_XID, Evidence.KERNEL_LOG));

    assertThat(anomalyNode()).isEqualTo("gpu-node-8");
    assertThat(excluded()).containsExactly("gpu-node-8");
    assertThat(reasons()).contains("GPU fault on gpu-node-8");
  }

  @Test
  void ncclsHostPrefixNamesTheNodeInSharedOutput() {
    runningOn("gpu-node-7", "gpu-node-8");

    handler.onLine(
        JOB,
        0,
        "",
        line(
            "gpu-node-7:3301:3380 [2] ib_plugin.c:1615 NCCL WARN NET/IB : Got completion from peer"
                + " 10.1.2.3<5678> with status=12 opcode=0 len=0 vendor err 129 (Recv)",
            Evidence.JOB_OUTPUT));

    assertThat(anomalyNode()).isEqualTo("gpu-node-7");
    assertThat(excluded()).containsExactly("gpu-node-7");
  }

  @Test
  void aShortHostNameIsTheAllocationsNode() {
    runningOn("gpu-node-7.cluster", "gpu-node-8.cluster");

    handler.onLine(
        JOB,
        0,
        "",
        line(
            "[1,3]<stderr>:gpu-node-8:11:12 [3] NCCL WARN NET/IB : Got completion with status=12",
            Evidence.JOB_OUTPUT));

    assertThat(excluded()).containsExactly("gpu-node-8.cluster");
  }

  @Test
  void aGpuFaultWithoutAHostOnSeveralNodesRestartsWithoutExclusionAndSaysSo() {
    runningOn("gpu-node-7", "gpu-node-8");

    handler.onLine(JOB, 0, "", line(DMESG_XID, Evidence.JOB_OUTPUT));

    assertThat(anomalyNode()).isEmpty();
    assertThat(store.decisions(JOB)).hasSize(1);
    assertThat(excluded()).isEmpty();
    assertThat(reasons())
        .contains("GPU fault on an unknown node: restarted without excluding a node")
        .contains("of the 2 the attempt ran on");
    assertThat(executed).hasSize(1);
  }

  @Test
  void aOneNodeAttemptsNodeIsTheFaultsNode() {
    runningOn("gpu-node-7");

    handler.onLine(JOB, 0, "", line(DMESG_XID, Evidence.JOB_OUTPUT));

    assertThat(anomalyNode()).isEqualTo("gpu-node-7");
    assertThat(excluded()).containsExactly("gpu-node-7");
  }

  @Test
  void aContainersHostNameIsNoneOfTheAttemptsNodesAndIsNotExcluded() {
    runningOn("gpu-node-7", "gpu-node-8");

    handler.onLine(
        JOB,
        0,
        "",
        line(
            "4c217144f0b1:113168:113179 [0] NCCL WARN NET/IB : Got completion with status=12",
            Evidence.JOB_OUTPUT));

    assertThat(anomalyNode()).isEmpty();
    assertThat(excluded()).isEmpty();
    assertThat(reasons()).contains("on an unknown node");
  }

  @Test
  void aPciIdIsNeverTakenForANode() {
    runningOn("gpu-node-7", "gpu-node-8");

    handler.onLine(
        JOB, 0, "", line("NVRM: Xid (PCI:0000:3b:00): 79, pid=1, GPU", Evidence.JOB_OUTPUT));

    assertThat(anomalyNode()).isEmpty();
    assertThat(excluded()).isEmpty();
  }

  @Test
  void printedTextNeverNamesANodeThatIsNoNodeName() {
    store.saveJob(Fixtures.job(JOB, Fixtures.requeue(3), JobStatus.RUNNING));
    // The scheduler has not said where the attempt runs yet: a valid named host would be taken.

    handler.onLine(
        JOB, 0, "", line("salloc: error: Node failure on --exclude=all/../x", Evidence.JOB_OUTPUT));

    assertThat(store.anomalies(JOB)).singleElement().satisfies(a -> assertThat(a.node()).isEmpty());
  }
}
