package dev.ajr.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ajr.core.detect.Evidence;
import dev.ajr.core.detect.LogLine;
import dev.ajr.core.testing.MutableClock;
import dev.ajr.core.tracking.ActiveAttempt;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class AgentIngestTest {

  private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

  private record Routed(long jobId, int attempt, String node, LogLine line) {}

  private final MutableClock clock = new MutableClock(T0);
  private final List<Routed> routed = new ArrayList<>();
  private final LineRouter router =
      new LineRouter(
          (jobId, attempt, node, line) -> routed.add(new Routed(jobId, attempt, node, line)),
          jobId -> OptionalInt.empty(),
          (node, line) -> {},
          clock);
  private final AgentIngest ingest =
      new AgentIngest(new StreamGate(new MemoryIngestPositions()), router, clock, 20);

  private static AgentBatch.Stream job(String path, boolean local, long... positions) {
    List<AgentBatch.Line> lines = new ArrayList<>();
    for (long p : positions) {
      lines.add(new AgentBatch.Line(p, "line " + p, T0, false));
    }
    return new AgentBatch.Stream(path, Evidence.JOB_OUTPUT, 7, -1, local, "job7.0", lines);
  }

  @Test
  void jobOutputIsUntrustedAndKernelLinesAreTrustedAndTheNodes() {
    router.update(
        List.of(new ActiveAttempt(7, 0, true, "/w", "/w/o", "/w/o", List.of("n1", "n2"), T0)));
    AgentBatch.Stream kernel =
        new AgentBatch.Stream(
            "kmsg",
            Evidence.KERNEL_LOG,
            0,
            -1,
            true,
            "boot-1",
            List.of(new AgentBatch.Line(41, "NVRM: Xid 79", T0.plusSeconds(1), false)));
    AgentBatch.Ack ack =
        ingest.accept(new AgentBatch("n2", List.of(job("/w/o", false, 1, 2), kernel)));
    assertThat(ack).isEqualTo(new AgentBatch.Ack(3, 0));
    assertThat(routed).hasSize(3);
    assertThat(routed.get(0).line().evidence()).isEqualTo(Evidence.JOB_OUTPUT);
    assertThat(routed.get(0).node()).isEmpty(); // a shared file: which node wrote it is unknown
    Routed k = routed.get(2);
    assertThat(k.line().evidence()).isEqualTo(Evidence.KERNEL_LOG);
    assertThat(k.node()).isEqualTo("n2");
    assertThat(k.line().source()).isEqualTo("n2:kmsg");
    assertThat(k.line().lineNumber()).isEqualTo(41);
  }

  @Test
  void aResentBatchIsAcknowledgedAsDuplicates() {
    router.update(List.of(new ActiveAttempt(7, 0, true, "/w", "/w/o", "/w/o", List.of("n1"), T0)));
    ingest.accept(new AgentBatch("n1", List.of(job("/w/o", true, 1, 2, 3))));
    AgentBatch.Ack again = ingest.accept(new AgentBatch("n1", List.of(job("/w/o", true, 2, 3, 4))));
    assertThat(again).isEqualTo(new AgentBatch.Ack(1, 2));
    assertThat(routed).extracting(r -> r.line().lineNumber()).containsExactly(1L, 2L, 3L, 4L);
    assertThat(routed.get(0).node()).isEqualTo("n1"); // a node-local file is the node's
  }

  @Test
  void longLinesAreCut() {
    router.update(List.of(new ActiveAttempt(7, 0, true, "/w", "/w/o", "/w/o", List.of("n1"), T0)));
    AgentBatch.Stream s =
        new AgentBatch.Stream(
            "/w/o",
            Evidence.JOB_OUTPUT,
            7,
            0,
            true,
            "g",
            List.of(new AgentBatch.Line(1, "x".repeat(1000), T0, false)));
    ingest.accept(new AgentBatch("n1", List.of(s)));
    assertThat(routed.get(0).line().text()).hasSize(20);
    assertThat(routed.get(0).line().truncated()).isTrue();
  }

  @Test
  void aBatchThatBreaksTheRulesIsRefusedWholeWithAReason() {
    assertThatThrownBy(() -> ingest.accept(new AgentBatch("bad node!", List.of())))
        .hasMessageContaining("node");
    AgentBatch.Stream noJob =
        new AgentBatch.Stream("/w/o", Evidence.JOB_OUTPUT, 0, -1, true, "g", List.of());
    assertThatThrownBy(() -> ingest.accept(new AgentBatch("n1", List.of(noJob))))
        .hasMessageContaining("jobId");
    AgentBatch.Stream monitor =
        new AgentBatch.Stream("/w/o", Evidence.MONITOR, 7, -1, true, "g", List.of());
    assertThatThrownBy(() -> ingest.accept(new AgentBatch("n1", List.of(monitor))))
        .hasMessageContaining("kind");
    assertThatThrownBy(() ->
            ingest.accept(
                new AgentBatch("n1", List.of(job("/w/o", true, 1, 2), job("/w/o", true, 5, 4)))))
        .hasMessageContaining("grow");
    assertThat(routed).isEmpty();
  }
}
