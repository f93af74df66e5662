package dev.ajr.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.core.detect.Anomaly;
import dev.ajr.core.detect.Cause;
import dev.ajr.core.detect.Evidence;
import dev.ajr.core.detect.ExcerptLine;
import dev.ajr.core.detect.LogLine;
import dev.ajr.core.testing.MutableClock;
import dev.ajr.core.tracking.ActiveAttempt;
import dev.ajr.server.logs.LineHandler;
import dev.ajr.server.store.SqlRecoveryStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The excerpt around an anomaly's root line, end to end: lines through the server's line handler
 * (from an agent, or handed on directly), classified by the built-in rules, the anomaly stored in
 * SQLite, its excerpt stored and grown by the lines that follow.
 */
class ExcerptRecorderTest {

  private static final long JOB = 24;
  private static final String SEGFAULT = "Rank0: (1) segmentation fault: artificial segfault";
  private static final String XID = "NVRM: Xid (PCI:0000:3b:00): 79, GPU has fallen off the bus.";

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private ExcerptPipeline pipeline;
  private SqlRecoveryStore store;
  private ExcerptRecorder excerpts;
  private LineHandler lines;

  @BeforeEach
  void open() {
    pipeline = new ExcerptPipeline(dir, clock);
    store = pipeline.store;
    excerpts = pipeline.excerpts;
    lines = pipeline.lines;
  }

  @AfterEach
  void close() {
    pipeline.close();
  }

  private ActiveAttempt running() {
    return pipeline.running();
  }

  private List<ExcerptLine> excerptOfOnlyAnomaly() {
    return pipeline.excerptOfOnlyAnomaly();
  }

  private LogLine jobLine(long n, String text) {
    return new LogLine(
        text, "/w/train.log", n, clock.instant(), clock.instant(), false, Evidence.JOB_OUTPUT);
  }

  @Test
  void agentLinesGiveTheExcerptOfTheirStreamOnly() {
    LineRouter router = new LineRouter(lines, jobId -> OptionalInt.empty(), (n, l) -> {}, clock);
    router.update(List.of(running()));
    AgentIngest ingest =
        new AgentIngest(new StreamGate(new MemoryIngestPositions()), router, clock, 4096);
    Instant t = clock.instant();

    ingest.accept(
        new AgentBatch(
            "node07",
            List.of(
                stream("/w/train.log", "before", 1, 2, 3),
                stream("/w/other.log", "elsewhere", 1, 2, 3, 4, 5),
                new AgentBatch.Stream(
                    "/w/train.log",
                    Evidence.JOB_OUTPUT,
                    JOB,
                    0,
                    true,
                    "g",
                    List.of(new AgentBatch.Line(4, SEGFAULT, t, false))))));
    clock.advance(Duration.ofSeconds(2));
    ingest.accept(
        new AgentBatch(
            "node07",
            List.of(
                stream("/w/other.log", "elsewhere", 6), stream("/w/train.log", "after", 5, 6))));

    assertThat(excerptOfOnlyAnomaly())
        .containsExactly(
            new ExcerptLine(1, "before 1", false),
            new ExcerptLine(2, "before 2", false),
            new ExcerptLine(3, "before 3", false),
            new ExcerptLine(4, SEGFAULT, true),
            new ExcerptLine(5, "after 5", false),
            new ExcerptLine(6, "after 6", false));
  }

  @Test
  void kernelLinesFromAnAgentGiveTheNodesKernelLogAroundTheXid() {
    LineRouter router = new LineRouter(lines, jobId -> OptionalInt.empty(), (n, l) -> {}, clock);
    router.update(List.of(running()));
    AgentIngest ingest =
        new AgentIngest(new StreamGate(new MemoryIngestPositions()), router, clock, 4096);
    Instant t = clock.instant();
    List<AgentBatch.Line> kernel =
        List.of(
            new AgentBatch.Line(100, "pcieport 0000:3a:00.0: AER: Uncorrected error", t, false),
            new AgentBatch.Line(101, XID, t, false),
            new AgentBatch.Line(102, "NVRM: GPU at PCI:0000:3b:00: GPU-1234", t, false));

    ingest.accept(
        new AgentBatch(
            "node07",
            List.of(
                new AgentBatch.Stream("kmsg", Evidence.KERNEL_LOG, 0, -1, true, "boot", kernel))));

    List<Anomaly> stored = store.anomalies(JOB);
    assertThat(stored).extracting(Anomaly::cause).contains(Cause.GPU_HARDWARE);
    Anomaly xid = stored.stream().filter(a -> a.lineNumber() == 101).findFirst().orElseThrow();
    assertThat(store.excerpts(JOB).get(xid.id()))
        .extracting(ExcerptLine::lineNumber, ExcerptLine::root)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(100L, false),
            org.assertj.core.groups.Tuple.tuple(101L, true),
            org.assertj.core.groups.Tuple.tuple(102L, false));
  }

  private static AgentBatch.Stream stream(String path, String prefix, long... numbers) {
    List<AgentBatch.Line> out = new ArrayList<>();
    for (long n : numbers) {
      out.add(new AgentBatch.Line(n, prefix + " " + n, null, false));
    }
    return new AgentBatch.Stream(path, Evidence.JOB_OUTPUT, JOB, 0, true, "g", out);
  }

  @Test
  void linesArrivingAfterTheFollowWindowAreNotAppended() {
    lines.onLine(JOB, 0, "", jobLine(1, "step 1"));
    lines.onLine(JOB, 0, "", jobLine(2, SEGFAULT));
    lines.onLine(JOB, 0, "", jobLine(3, "step 3"));
    clock.advance(ExcerptRecorder.FOLLOW_FOR.plusSeconds(1));
    lines.onLine(JOB, 0, "", jobLine(4, "step 4"));

    assertThat(excerptOfOnlyAnomaly())
        .extracting(ExcerptLine::lineNumber)
        .containsExactly(1L, 2L, 3L);
  }

  @Test
  void aStreamThatStartsAgainEndsTheWaitForLinesAfterTheRoot() {
    lines.onLine(JOB, 0, "", jobLine(7, SEGFAULT));
    lines.onLine(JOB, 0, "", jobLine(1, "the next attempt's first line"));

    assertThat(excerptOfOnlyAnomaly()).containsExactly(new ExcerptLine(7, SEGFAULT, true));
  }

  @Test
  void anAnomalyOfAStreamNotHeldGetsItsRootLineAlone() {
    Anomaly hang =
        store
            .addAnomaly(
                new Anomaly(
                    0,
                    JOB,
                    0,
                    dev.ajr.core.detect.AnomalyType.HANG,
                    Cause.HANG,
                    "ajr.hang",
                    dev.ajr.core.detect.RecoveryAction.REQUEUE,
                    "no progress for 600 s",
                    "ajr:progress",
                    1,
                    "node07",
                    null,
                    clock.instant(),
                    clock.instant(),
                    Evidence.MONITOR))
            .orElseThrow();

    excerpts.onAnomaly(hang);

    assertThat(store.excerpts(JOB).get(hang.id()))
        .containsExactly(new ExcerptLine(1, "no progress for 600 s", true));
  }

  @Test
  void theStreamsOfAJobThatEndedAreForgottenAndTheirNumberIsBounded() {
    lines.onLine(JOB, 0, "", jobLine(1, "step 1"));
    excerpts.update(List.of(running()));
    assertThat(excerpts.streamCount()).isEqualTo(1);

    excerpts.update(List.of());
    clock.advance(LineRouter.REMEMBER.plusSeconds(1));
    excerpts.update(List.of());
    assertThat(excerpts.streamCount()).isZero();

    ExcerptRecorder bounded = new ExcerptRecorder(store, clock);
    for (int i = 0; i <= ExcerptRecorder.MAX_STREAMS; i++) {
      bounded.onLine(
          JOB,
          0,
          "",
          new LogLine("x", "/w/f" + i, 1, null, clock.instant(), false, Evidence.JOB_OUTPUT));
    }
    assertThat(bounded.streamCount()).isEqualTo(ExcerptRecorder.MAX_STREAMS);
  }
}
