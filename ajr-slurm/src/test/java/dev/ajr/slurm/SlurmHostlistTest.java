package dev.ajr.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SlurmHostlistTest {

  @ParameterizedTest(name = "\"{0}\" -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "node[1-4]             | node1 node2 node3 node4",
        "node[1-3,7],gpu01     | node1 node2 node3 node7 gpu01",
        "gpu[01-03]            | gpu01 gpu02 gpu03",
        "gpu[08-11]            | gpu08 gpu09 gpu10 gpu11",
        "node1                 | node1",
        "node1,node2           | node1 node2",
        "rack[1-2]-n[1-2]      | rack1-n1 rack1-n2 rack2-n1 rack2-n2",
        "n[1-2]x               | n1x n2x",
      })
  void expandsHostlist(String hostlist, String expected) {
    assertThat(SlurmHostlist.expand(hostlist)).isEqualTo(Arrays.asList(expected.split(" ")));
  }

  @Test
  void expandsEmptyAndNullToNoHosts() {
    assertThat(SlurmHostlist.expand("")).isEmpty();
    assertThat(SlurmHostlist.expand("   ")).isEmpty();
    assertThat(SlurmHostlist.expand(null)).isEmpty();
  }

  @Test
  void keepsUnparseableRangeAsWritten() {
    assertThat(SlurmHostlist.expand("node[a-b]")).containsExactly("node[a-b]");
  }

  @Test
  void joinsHostsAsCommaList() {
    assertThat(SlurmHostlist.join(List.of("node1", "gpu01"))).isEqualTo("node1,gpu01");
  }
}
