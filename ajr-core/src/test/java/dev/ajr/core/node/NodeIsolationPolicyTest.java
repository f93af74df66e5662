package dev.ajr.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.core.detect.Cause;
import dev.ajr.core.detect.Evidence;
import dev.ajr.core.detect.RecoveryAction;
import dev.ajr.core.node.NodeIsolationPolicy.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NodeIsolationPolicyTest {

  private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
  private static final String XID =
      "NVRM: Xid (PCI:0000:3b:00): 79, pid=1234, name=python, GPU has fallen off the bus.";
  private static final NodeSettings S = NodeSettings.DEFAULTS; // lemon 3 jobs/24h, 10 or 5%/1h

  private static NodeEvidence evidence(String node, RecoveryAction action, Evidence trust) {
    return new NodeEvidence(
        node, 42, 7, Cause.GPU_HARDWARE, "gpu.xid.hardware", action, XID, trust, T0);
  }

  private static final NodeEvidence KERNEL_XID =
      evidence("node3", RecoveryAction.REQUEUE_EXCLUDE_NODE, Evidence.KERNEL_LOG);
  private static final NodeEvidence PRINTED_XID =
      evidence("node3", RecoveryAction.REQUEUE_EXCLUDE_NODE, Evidence.JOB_OUTPUT);

  private static NodeRecord health(NodeHealth h) {
    return new NodeRecord("node3", h, "", "", 0, T0);
  }

  static Stream<Arguments> table() {
    NodeRecord ok = health(NodeHealth.OK);
    return Stream.of(
        // what, evidence, node now, implicating jobs, drains in window, cluster nodes, observe,
        // settings, verdict, words in the reason
        Arguments.of(
            "kernel Xid drains",
            KERNEL_XID,
            ok,
            1,
            0,
            100,
            false,
            S,
            Verdict.DRAIN,
            "kernel log of node3"),
        Arguments.of(
            "a user's printed Xid does not",
            PRINTED_XID,
            ok,
            1,
            0,
            100,
            false,
            S,
            Verdict.SUSPECT,
            "not trusted"),
        Arguments.of(
            "two jobs are not yet a lemon",
            PRINTED_XID,
            ok,
            2,
            0,
            100,
            false,
            S,
            Verdict.SUSPECT,
            "(2 so far)"),
        Arguments.of(
            "three different jobs make a lemon",
            PRINTED_XID,
            ok,
            3,
            0,
            100,
            false,
            S,
            Verdict.DRAIN,
            "lemon node"),
        Arguments.of(
            "no node named",
            evidence("", RecoveryAction.REQUEUE_EXCLUDE_NODE, Evidence.KERNEL_LOG),
            ok,
            1,
            0,
            100,
            false,
            S,
            Verdict.NONE,
            "does not point"),
        Arguments.of(
            "a rule that does not blame the node",
            evidence("node3", RecoveryAction.REQUEUE, Evidence.KERNEL_LOG),
            ok,
            1,
            0,
            100,
            false,
            S,
            Verdict.NONE,
            "does not point"),
        Arguments.of(
            "already drained",
            KERNEL_XID,
            health(NodeHealth.DRAINED),
            1,
            0,
            100,
            false,
            S,
            Verdict.NONE,
            "already drained"),
        Arguments.of(
            "in repair",
            KERNEL_XID,
            health(NodeHealth.IN_REPAIR),
            1,
            0,
            100,
            false,
            S,
            Verdict.NONE,
            "already in_repair"),
        Arguments.of(
            "a suspect node with kernel evidence drains",
            KERNEL_XID,
            health(NodeHealth.SUSPECT),
            1,
            0,
            100,
            false,
            S,
            Verdict.DRAIN,
            "kernel log"),
        Arguments.of(
            "blast radius: 5% of 100 is 5",
            KERNEL_XID,
            ok,
            1,
            5,
            100,
            false,
            S,
            Verdict.HOLD,
            "drain held: ajr drained 5 node(s) within 1 h and drains at most 5 of 100"),
        Arguments.of(
            "below the radius", KERNEL_XID, ok, 1, 4, 100, false, S, Verdict.DRAIN, "kernel log"),
        Arguments.of(
            "a small cluster may still drain one",
            KERNEL_XID,
            ok,
            1,
            0,
            4,
            false,
            S,
            Verdict.DRAIN,
            "kernel log"),
        Arguments.of(
            "but only one", KERNEL_XID, ok, 1, 1, 4, false, S, Verdict.HOLD, "at most 1 of 4"),
        Arguments.of(
            "the count cap beats the share",
            KERNEL_XID,
            ok,
            1,
            10,
            10_000,
            false,
            S,
            Verdict.HOLD,
            "at most 10 of 10000"),
        Arguments.of(
            "observe mode holds", KERNEL_XID, ok, 1, 0, 100, true, S, Verdict.HOLD, "observe mode"),
        Arguments.of(
            "drains off hold",
            KERNEL_XID,
            ok,
            1,
            0,
            100,
            false,
            new NodeSettings(false, 3, Duration.ofHours(24), 10, 0.05, Duration.ofHours(1)),
            Verdict.HOLD,
            "drains are off"),
        Arguments.of(
            "a lemon is held by the radius too",
            PRINTED_XID,
            ok,
            3,
            5,
            100,
            false,
            S,
            Verdict.HOLD,
            "lemon node"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void decides(
      String what,
      NodeEvidence e,
      NodeRecord current,
      int implicating,
      int drains,
      int nodes,
      boolean observe,
      NodeSettings settings,
      Verdict verdict,
      String words) {
    NodeIsolationPolicy.Plan plan =
        new NodeIsolationPolicy()
            .decide(
                new NodeIsolationPolicy.Input(
                    e, current, implicating, drains, nodes, observe, settings));
    assertThat(plan.verdict()).isEqualTo(verdict);
    assertThat(plan.reason()).contains(words);
  }
}
