package dev.ajr.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamGateTest {

  private final MemoryIngestPositions positions = new MemoryIngestPositions();
  private final StreamGate gate = new StreamGate(positions);
  private final List<Long> handled = new ArrayList<>();

  private StreamGate.Admitted send(String stream, String generation, long... lines) {
    List<Long> entries = new ArrayList<>();
    for (long n : lines) {
      entries.add(n);
    }
    return gate.admit("node1", stream, generation, entries, n -> n, handled::add);
  }

  @Test
  void aBatchSentAgainIsHandledOnce() {
    assertThat(send("/out", "g0", 1, 2, 3)).isEqualTo(new StreamGate.Admitted(3, 0));
    assertThat(send("/out", "g0", 1, 2, 3)).isEqualTo(new StreamGate.Admitted(0, 3));
    assertThat(handled).containsExactly(1L, 2L, 3L);
  }

  @Test
  void aResendOverlappingNewLinesPassesOnlyTheNewOnes() {
    send("/out", "g0", 1, 2, 3);
    assertThat(send("/out", "g0", 2, 3, 4, 5)).isEqualTo(new StreamGate.Admitted(2, 2));
    assertThat(handled).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(positions.saved.get("node1|/out")).isEqualTo(new StreamPosition("g0", 5));
  }

  @Test
  void aNewGenerationStartsAgainFromItsFirstLine() {
    send("/out", "g0", 1, 2, 3);
    assertThat(send("/out", "g1", 1, 2)).isEqualTo(new StreamGate.Admitted(2, 0));
    assertThat(send("/out", "g1", 1, 2)).isEqualTo(new StreamGate.Admitted(0, 2));
    assertThat(handled).containsExactly(1L, 2L, 3L, 1L, 2L);
  }

  @Test
  void streamsAndSendersAreKeptApart() {
    send("/a", "g0", 1, 2);
    send("/b", "g0", 1, 2);
    gate.admit("node2", "/a", "g0", List.of(1L, 2L), n -> n, handled::add);
    assertThat(handled).hasSize(6);
  }

  @Test
  void thePositionSurvivesANewGateOnTheSameStore() {
    send("/out", "g0", 1, 2, 3);
    StreamGate afterRestart = new StreamGate(positions);
    List<Long> again = new ArrayList<>();
    afterRestart.admit("node1", "/out", "g0", List.of(3L, 4L), n -> n, again::add);
    assertThat(again).containsExactly(4L);
  }

  @Test
  void nothingNewSavesNothing() {
    send("/out", "g0", 1);
    int saves = positions.saves;
    send("/out", "g0", 1);
    assertThat(positions.saves).isEqualTo(saves);
  }

  @Test
  void longStreamNamesStayDistinctAndFitTheStore() {
    String a = "/x".repeat(400) + "/a.log";
    String b = "/x".repeat(400) + "/b.log";
    assertThat(StreamGate.storedName(a)).hasSizeLessThanOrEqualTo(512);
    assertThat(StreamGate.storedName(a)).isNotEqualTo(StreamGate.storedName(b));
    assertThat(StreamGate.storedName("/short")).isEqualTo("/short");
  }
}
