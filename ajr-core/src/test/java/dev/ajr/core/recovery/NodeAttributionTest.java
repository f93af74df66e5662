package dev.ajr.core.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.core.detect.Evidence;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeAttributionTest {

  private static final List<String> TWO = List.of("gpu-node-7", "gpu-node-8");

  @Test
  void aKernelLineIsTheReadingNodesWhateverItsTextSays() {
    assertThat(NodeAttribution.of(Evidence.KERNEL_LOG, "gpu-node-8", "gpu-node-7", TWO))
        .isEqualTo("gpu-node-8");
  }

  @Test
  void aHostTheLineNamesIsTheNodeWhenItIsOneOfTheAttempts() {
    assertThat(NodeAttribution.of(Evidence.JOB_OUTPUT, "", "gpu-node-8", TWO))
        .isEqualTo("gpu-node-8");
    assertThat(NodeAttribution.of(Evidence.JOB_OUTPUT, "", "gpu-node-8.cluster.local", TWO))
        .isEqualTo("gpu-node-8");
    // Before the scheduler said where the attempt runs, the named host is taken as it is.
    assertThat(NodeAttribution.of(Evidence.JOB_OUTPUT, "", "gpu-node-8", List.of()))
        .isEqualTo("gpu-node-8");
  }

  @Test
  void aHostThatIsNoneOfTheAttemptsNodesIsIgnored() {
    // A container's host name in NCCL's prefix: a one-node attempt's node is the answer...
    assertThat(NodeAttribution.of(Evidence.JOB_OUTPUT, "", "4c217144f0b1", List.of("gpu-node-7")))
        .isEqualTo("gpu-node-7");
    // ... and among several nodes ajr does not guess.
    assertThat(NodeAttribution.of(Evidence.JOB_OUTPUT, "", "4c217144f0b1", TWO)).isEmpty();
  }

  @Test
  void withoutANamedHostTheReadingNodeThenAOneNodeAttemptsNode() {
    assertThat(NodeAttribution.of(Evidence.JOB_OUTPUT, "gpu-node-8", null, TWO))
        .isEqualTo("gpu-node-8");
    assertThat(NodeAttribution.of(Evidence.JOB_OUTPUT, "", null, List.of("gpu-node-7")))
        .isEqualTo("gpu-node-7");
    assertThat(NodeAttribution.of(Evidence.MONITOR, "", null, List.of("gpu-node-7")))
        .isEqualTo("gpu-node-7");
    assertThat(NodeAttribution.of(Evidence.JOB_OUTPUT, "", null, TWO)).isEmpty();
    assertThat(NodeAttribution.of(Evidence.JOB_OUTPUT, "", null, List.of())).isEmpty();
  }

  @Test
  void aNameThatIsNoNodeNameIsNeverTheNode() {
    assertThat(NodeAttribution.of(Evidence.JOB_OUTPUT, "", "-rf", TWO)).isEmpty();
    assertThat(NodeAttribution.of(Evidence.JOB_OUTPUT, "", "../etc", List.of())).isEmpty();
    assertThat(NodeAttribution.of(Evidence.JOB_OUTPUT, "", "0000:3b:00", List.of())).isEmpty();
    assertThat(NodeAttribution.of(Evidence.KERNEL_LOG, "bad name", null, TWO)).isEmpty();
  }
}
