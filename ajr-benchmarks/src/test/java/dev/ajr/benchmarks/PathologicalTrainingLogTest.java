package dev.ajr.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PathologicalTrainingLogTest {

  @Test
  void eachCycleHoldsOneLongLineTenShortOnesAndOrdinaryLines() {
    List<String> cycle = PathologicalTrainingLog.lines(PathologicalTrainingLog.CYCLE, 3);

    assertThat(cycle).filteredOn(l -> l.length() == PathologicalTrainingLog.LONG_LINE).hasSize(1);
    assertThat(cycle)
        .filteredOn(l -> l.length() == PathologicalTrainingLog.SHORT_LINE)
        .hasSize(PathologicalTrainingLog.SHORT_PER_CYCLE);
    assertThat(cycle).filteredOn(l -> l.length() < 4096).hasSize(989);
  }

  @Test
  void theLongLinesRepeatOnePhraseToTheEnd() {
    List<String> lines = PathologicalTrainingLog.lines(2 * PathologicalTrainingLog.CYCLE, 3);
    List<String> shortLines =
        lines.stream().filter(l -> l.length() == PathologicalTrainingLog.SHORT_LINE).toList();

    assertThat(
            shortLines.stream()
                .anyMatch(
                    l -> l.startsWith("LustreError: ") && l.replace("LustreError: ", "").isBlank()))
        .as("a line of LustreError: only")
        .isTrue();
    assertThat(
            shortLines.stream()
                .anyMatch(l ->
                    l.replace("NCCL WARN NET/IB : ", "")
                        .strip()
                        .equals("gpu-h100-017:2291817:2292914 [3]")))
        .as("a line of NCCL WARN NET/IB : only")
        .isTrue();
    assertThat(
            shortLines.stream()
                .anyMatch(l -> l.replace("Xid (PCI:0000:", "").strip().equals("NVRM:")))
        .as("a line of Xid (PCI:0000: only")
        .isTrue();
    assertThat(shortLines.stream().anyMatch(l -> l.replace("a ", "").strip().equals("NCCL")))
        .as("a line of a a a ... NCCL")
        .isTrue();
    assertThat(PathologicalTrainingLog.lines(2 * PathologicalTrainingLog.CYCLE, 3).equals(lines))
        .as("the same seed gives the same lines")
        .isTrue();
  }
}
