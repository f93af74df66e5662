package dev.ajr.core.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NodeNamesTest {

  @Test
  void slurmShapedNamesAreKept() {
    assertThat(NodeNames.valid("gpu-node-7")).isEqualTo("gpu-node-7");
    assertThat(NodeNames.valid("node017.cluster.local")).isEqualTo("node017.cluster.local");
    assertThat(NodeNames.valid("000-000-00000-1-gpu-1")).isEqualTo("000-000-00000-1-gpu-1");
    assertThat(NodeNames.valid("compute_a01")).isEqualTo("compute_a01");
    assertThat(NodeNames.valid("x".repeat(64))).hasSize(64);
  }

  @Test
  void aSentencesFullStopIsNotPartOfTheName() {
    assertThat(NodeNames.valid("worker-1.")).isEqualTo("worker-1");
  }

  @Test
  void anythingElseIsNoNodeName() {
    for (String bad :
        new String[] {
          "",
          "-rf",
          "--exclude",
          ".hidden",
          "_x",
          "a/b",
          "../etc",
          "node 1",
          "node\t1",
          "node\n1",
          "no\u0000de",
          "n\u00f6de",
          "node,node2",
          "node[1-4]",
          "x".repeat(65),
          "...",
        }) {
      assertThat(NodeNames.valid(bad)).as(bad).isNull();
    }
    assertThat(NodeNames.valid(null)).isNull();
  }

  @Test
  void aHostIsTheAllocationsNodeOfTheSameNameOrShortName() {
    List<String> allocation = List.of("gpu-node-7", "gpu-node-8");

    assertThat(NodeNames.inAllocation("gpu-node-7", allocation)).isEqualTo("gpu-node-7");
    assertThat(NodeNames.inAllocation("GPU-NODE-8", allocation)).isEqualTo("gpu-node-8");
    assertThat(NodeNames.inAllocation("gpu-node-7.cluster.local", allocation))
        .isEqualTo("gpu-node-7");
    assertThat(NodeNames.inAllocation("gpu-node-9", allocation)).isNull();
    assertThat(NodeNames.inAllocation("4c217144f0b1", allocation)).isNull();
    assertThat(NodeNames.inAllocation("node1", List.of("node1.a", "node1.b"))).isNull();
    assertThat(NodeNames.inAllocation("node1", List.of("node1.a"))).isEqualTo("node1.a");
  }
}
