package dev.ajr.server.logs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.core.detect.Evidence;
import dev.ajr.core.detect.LogLine;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A job's queue: its turns on the pool are bounded, and a full queue tells when it has room. */
class JobLinesTest {

  private final ManualPool pool = new ManualPool();
  private final List<String> handled = new ArrayList<>();
  private final LineHandler recorder = (jobId, attempt, node, line) -> handled.add(line.text());
  private final AtomicInteger roomFreed = new AtomicInteger();

  private JobLines queue(long maxMemory) {
    return new JobLines(7, recorder, pool, maxMemory, roomFreed::incrementAndGet);
  }

  private static List<JobLines.Entry> lines(int count, int length) {
    List<JobLines.Entry> entries = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      String text = String.format("%05d", i) + "x".repeat(Math.max(0, length - 5));
      LogLine line =
          new LogLine(text, "out", i, Instant.EPOCH, Instant.EPOCH, false, Evidence.JOB_OUTPUT);
      entries.add(new JobLines.Line(0, "", line));
    }
    return entries;
  }

  @Test
  void aTurnHandlesAtMostABatchOfLinesThenWaitsForTheNextTurn() {
    JobLines q = queue(Long.MAX_VALUE);
    q.add(lines(200, 10));

    assertThat(pool.runOne()).isTrue();

    assertThat(handled).hasSize(JobLines.BATCH_LINES);
    assertThat(pool.waiting()).as("the job queued behind the others").isEqualTo(1);
    pool.runAll();
    assertThat(handled).hasSize(200);
    assertThat(q.idle()).isTrue();
  }

  @Test
  void aJobHasOneTurnAtATimeHoweverOftenLinesAreAddedSoItsLinesAreNeverHandledTwoAtOnce() {
    List<JobLines> self = new ArrayList<>();
    AtomicBoolean once = new AtomicBoolean();
    LineHandler addingMeanwhile =
        (jobId, attempt, node, line) -> {
          handled.add(line.text());
          if (once.compareAndSet(false, true)) {
            self.get(0).add(lines(3, 10)); // the follower reads on while the turn runs
          }
        };
    JobLines q = new JobLines(7, addingMeanwhile, pool, Long.MAX_VALUE, () -> {});
    self.add(q);
    q.add(lines(2, 10));
    q.add(lines(2, 10));
    assertThat(pool.waiting()).isEqualTo(1);

    pool.runOne();
    assertThat(pool.waiting()).as("the next turn, queued by the one that ran").isEqualTo(1);
    pool.runAll();
    assertThat(handled)
        .extracting(text -> text.substring(0, 5))
        .containsExactly("00001", "00002", "00001", "00002", "00001", "00002", "00003");
  }

  @Test
  void aTurnOfLongLinesEndsOnceItsTextReachesTheBatchBoundButHandlesAtLeastOneLine() {
    JobLines q = queue(Long.MAX_VALUE);
    q.add(lines(5, 64 * 1024));

    pool.runOne();
    assertThat(handled).hasSize(1);

    q.add(lines(10, 10_000));
    pool.runAll();
    assertThat(handled).hasSize(15);
  }

  @Test
  void aFullQueueIsHeldAndToldOnceWhenItHasDrainedToHalf() {
    long perLine = JobLines.LINE_OVERHEAD + 101;
    JobLines q = queue(150 * perLine);
    q.add(lines(150, 100));

    assertThat(q.room()).isZero();
    assertThat(q.held()).isTrue();
    assertThat(q.queuedBytes()).isEqualTo(150 * 101);

    pool.runOne(); // 64 handled: 86 left, more than half
    assertThat(roomFreed).hasValue(0);
    pool.runOne(); // 22 left
    assertThat(roomFreed).hasValue(1);
    assertThat(q.held()).isFalse();
    assertThat(q.room()).isEqualTo(128 * perLine);
    pool.runAll();
    assertThat(roomFreed).as("told once").hasValue(1);
    assertThat(q.queuedBytes()).isZero();
  }

  @Test
  void aQueueWithRoomIsNotHeldAndNotTold() {
    JobLines q = queue(1 << 20);
    q.add(lines(10, 100));

    assertThat(q.room()).isPositive();
    pool.runAll();

    assertThat(q.held()).isFalse();
    assertThat(roomFreed).hasValue(0);
  }
}
