package dev.ajr.server.logs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.core.testing.MutableClock;
import dev.ajr.core.tracking.ActiveAttempt;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lines are handled off the follower's thread, in a queue per job: a job whose lines are slow to
 * diagnose does not hold up another job's; one job's lines are handled in order and one at a time;
 * a full queue stops the reading of its job's files and the reading resumes without losing or
 * repeating a line; positions are saved only for lines handled; a job is forgotten, its last
 * partial line flushed, only after its queued lines.
 */
class LogFollowHandlingTest {

  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final Duration HOUR = Duration.ofHours(1);
  private static final long SLOW = 301;
  private static final long FAST = 302;
  private static final String SEGFAULT = "Rank0: (1) segmentation fault";

  @TempDir Path dir;

  /** One line as the handler got it. */
  record Seen(long jobId, long number, String text) {}

  private final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final List<LogFollowService> opened = new ArrayList<>();

  @AfterEach
  void close() {
    opened.forEach(LogFollowService::close);
  }

  /** Every file polled, read every round; lines up to 64 KiB; {@code threads} handler threads. */
  private static LogSettings settings(int threads, int maxQueuedBytes) {
    return new LogSettings(
        Duration.ofMillis(10),
        Duration.ZERO,
        64 * 1024,
        1 << 20,
        Duration.ofSeconds(10),
        false,
        Duration.ofSeconds(5),
        threads,
        maxQueuedBytes);
  }

  /** A follower handling lines on {@code pool}, or on a pool of its own when null. */
  private LogFollowService follower(
      LineHandler handler, LogSettings settings, LogOffsets offsets, Executor pool) {
    LogFollowService f =
        new LogFollowService(handler, clock, settings, offsets, p -> Optional.of("test"), pool);
    opened.add(f);
    return f;
  }

  private final LineHandler recorder =
      (jobId, attempt, node, line) -> seen.add(new Seen(jobId, line.lineNumber(), line.text()));

  private Path out(long jobId) {
    return dir.resolve("slurm-" + jobId + ".out");
  }

  private ActiveAttempt running(long jobId) {
    return new ActiveAttempt(
        jobId,
        0,
        true,
        dir.toString(),
        out(jobId).toString(),
        "",
        List.of("node07"),
        Instant.now());
  }

  private void tick(LogFollowService follower, ActiveAttempt... active) {
    follower.update(List.of(active));
    clock.advance(Duration.ofSeconds(1));
    follower.tick();
  }

  private static void append(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  /** {@code count} lines of 100 bytes each (with the newline), numbered from 1. */
  private static String numbered(int count) {
    StringBuilder s = new StringBuilder();
    for (int i = 1; i <= count; i++) {
      s.append(String.format("line %05d ", i)).append("x".repeat(88)).append('\n');
    }
    return s.toString();
  }

  private List<Long> numbersOf(long jobId) {
    synchronized (seen) {
      return seen.stream().filter(s -> s.jobId() == jobId).map(Seen::number).toList();
    }
  }

  private static List<Long> oneTo(long n) {
    return LongStream.rangeClosed(1, n).boxed().toList();
  }

  private static void await(String what, BooleanSupplier condition) {
    Instant deadline = Instant.now().plus(DEADLINE);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("not within " + DEADLINE + ": " + what);
      }
      Thread.onSpinWait();
    }
  }

  @Test
  void aJobWhoseLinesAreStuckInTheHandlerDoesNotDelayAnotherJobsLines() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    LineHandler handler =
        (jobId, attempt, node, line) -> {
          if (jobId == SLOW) {
            try {
              release.await(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          recorder.onLine(jobId, attempt, node, line);
        };
    StringBuilder longLines = new StringBuilder();
    for (int i = 0; i < 80; i++) {
      longLines.append("x".repeat(8 * 1024)).append('\n');
    }
    append(out(SLOW), longLines.toString());
    append(out(FAST), SEGFAULT + "\n");
    LogFollowService follower = follower(handler, settings(2, 1 << 20), LogOffsets.NONE, null);

    tick(follower, running(SLOW), running(FAST));

    await("the line of job " + FAST + " handled", () -> !numbersOf(FAST).isEmpty());
    assertThat(numbersOf(SLOW)).as("job %d's first line is still being handled", SLOW).isEmpty();
    release.countDown();
    await("the 80 lines of job " + SLOW + " handled", () -> numbersOf(SLOW).size() == 80);
    assertThat(numbersOf(SLOW)).containsExactlyElementsOf(oneTo(80));
    assertThat(seen)
        .filteredOn(s -> s.jobId() == FAST)
        .extracting(Seen::text)
        .containsExactly(SEGFAULT);
  }

  @Test
  void withOneThreadAJobTakesOneBatchAtATurnThenTheOthersGetTheirs() throws IOException {
    ManualPool pool = new ManualPool();
    LogFollowService follower = follower(recorder, settings(1, 1 << 20), LogOffsets.NONE, pool);
    append(out(SLOW), numbered(1000));
    tick(follower, running(SLOW));
    append(out(FAST), SEGFAULT + "\n");
    tick(follower, running(SLOW), running(FAST));

    pool.runOne(); // job SLOW's first turn
    pool.runOne(); // job FAST's turn, before SLOW's second

    assertThat(seen.get(seen.size() - 1).text()).isEqualTo(SEGFAULT);
    assertThat(numbersOf(SLOW)).containsExactlyElementsOf(oneTo(JobLines.BATCH_LINES));
    pool.runAll();
    assertThat(numbersOf(SLOW)).containsExactlyElementsOf(oneTo(1000));
  }

  @Test
  void eachJobsLinesAreHandledInOrderAndNeverTwoAtOnce() throws IOException {
    long[] jobs = {401, 402, 403, 404};
    int lines = 3000;
    Map<Long, AtomicInteger> running = new ConcurrentHashMap<>();
    AtomicBoolean overlapped = new AtomicBoolean();
    LineHandler handler =
        (jobId, attempt, node, line) -> {
          AtomicInteger now = running.computeIfAbsent(jobId, id -> new AtomicInteger());
          if (now.incrementAndGet() > 1) {
            overlapped.set(true);
          }
          for (int i = 0; i < 100; i++) {
            Thread.onSpinWait(); // a little work, so that turns would overlap if they could
          }
          recorder.onLine(jobId, attempt, node, line);
          now.decrementAndGet();
        };
    List<ActiveAttempt> active = new ArrayList<>();
    for (long job : jobs) {
      append(out(job), numbered(lines));
      active.add(running(job));
    }
    LogFollowService follower = follower(handler, settings(2, 64 * 1024), LogOffsets.NONE, null);
    follower.update(active);
    follower.start();

    await("every line handled", () -> seen.size() == jobs.length * lines);
    for (long job : jobs) {
      assertThat(numbersOf(job)).as("job %d", job).containsExactlyElementsOf(oneTo(lines));
    }
    assertThat(overlapped).as("a job's lines handled two at once").isFalse();
  }

  @Test
  void aFullQueueStopsTheReadingOfItsJobUntilItsLinesAreHandledAndNoLineIsLostOrRepeated()
      throws IOException {
    ManualPool pool = new ManualPool();
    int maxQueued = 8 * 1024;
    LogFollowService follower = follower(recorder, settings(1, maxQueued), LogOffsets.NONE, pool);
    append(out(SLOW), numbered(3000)); // 300 000 bytes

    tick(follower, running(SLOW));
    tick(follower, running(SLOW)); // the queue is full: nothing more is read
    pool.runAll();

    int first = numbersOf(SLOW).size();
    // A read stops after the 64 KiB buffer in which the queue became full.
    assertThat(first).isPositive().isLessThanOrEqualTo((maxQueued + 64 * 1024) / 100 + 1);
    int before = first;
    for (int round = 0; round < 100 && numbersOf(SLOW).size() < 3000; round++) {
      tick(follower, running(SLOW));
      pool.runAll();
      int now = numbersOf(SLOW).size();
      assertThat(now - before).isLessThanOrEqualTo((maxQueued + 64 * 1024) / 100 + 1);
      before = now;
    }
    assertThat(numbersOf(SLOW)).containsExactlyElementsOf(oneTo(3000));
  }

  @Test
  void aStartedFollowerReadsOnAsSoonAsAFullQueueHasRoomWithoutWaitingForAPoll() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    LineHandler handler =
        (jobId, attempt, node, line) -> {
          if (line.lineNumber() == 1) {
            entered.countDown();
            try {
              release.await(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          recorder.onLine(jobId, attempt, node, line);
        };
    // Read once on start, then only when notified (none: polled) or an hour later.
    LogSettings hourly = new LogSettings(HOUR, HOUR, 1024, 1 << 20, HOUR, false, HOUR, 2, 8 * 1024);
    append(out(SLOW), numbered(3000));
    LogFollowService follower = follower(handler, hourly, LogOffsets.NONE, null);
    follower.update(List.of(running(SLOW)));
    follower.start();

    assertThat(entered.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    release.countDown();

    await("the 3000 lines handled", () -> numbersOf(SLOW).size() == 3000);
    assertThat(numbersOf(SLOW)).containsExactlyElementsOf(oneTo(3000));
  }

  @Test
  void positionsAreSavedOnlyForLinesHandledSoARestartReadsTheOthersAgain() throws IOException {
    LogFollowServiceTest.MemoryOffsets offsets = new LogFollowServiceTest.MemoryOffsets();
    ManualPool pool = new ManualPool();
    String key = SLOW + ":" + out(SLOW);
    append(out(SLOW), "l1\nl2\nl3\n");
    LogFollowService before = follower(recorder, settings(1, 1 << 20), offsets, pool);

    tick(before, running(SLOW));
    assertThat(offsets.saved).as("read, not handled").isEmpty();
    pool.runAll();
    tick(before, running(SLOW));
    assertThat(offsets.saved.get(key).checkpoint().lineNumber()).isEqualTo(3);

    append(out(SLOW), "l4\nl5\n");
    tick(before, running(SLOW));
    tick(before, running(SLOW));
    assertThat(offsets.saved.get(key).checkpoint().lineNumber())
        .as("l4, l5 not handled")
        .isEqualTo(3);
    before.close(); // l4 and l5 are dropped unhandled
    assertThat(seen).extracting(Seen::text).containsExactly("l1", "l2", "l3");

    seen.clear();
    LogFollowService after = follower(recorder, settings(1, 1 << 20), offsets, new InlinePool());
    tick(after, running(SLOW));

    assertThat(seen).extracting(Seen::text).containsExactly("l4", "l5");
    assertThat(seen).extracting(Seen::number).containsExactly(4L, 5L);
  }

  @Test
  void aJobHeldBackIsForgottenOnlyOnceItsFilesAreReadAndItsLastPartialLineComesLast()
      throws IOException {
    ManualPool pool = new ManualPool();
    LogFollowService follower = follower(recorder, settings(1, 8 * 1024), LogOffsets.NONE, pool);
    append(out(SLOW), numbered(2000) + "last words");
    tick(follower, running(SLOW));

    follower.update(List.of());
    clock.advance(Duration.ofSeconds(11)); // past the 10 s grace
    follower.tick();
    assertThat(follower.followedFiles()).as("held back: not forgotten yet").isEqualTo(1);

    for (int round = 0; round < 100 && follower.followedFiles() > 0; round++) {
      pool.runAll();
      clock.advance(Duration.ofSeconds(1));
      follower.tick();
    }
    pool.runAll();

    assertThat(follower.followedFiles()).isZero();
    assertThat(numbersOf(SLOW)).containsExactlyElementsOf(oneTo(2001));
    assertThat(seen.get(seen.size() - 1).text()).isEqualTo("last words");
  }

  @Test
  void closeStopsHandlingTheLinesStillQueued() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    LineHandler handler =
        (jobId, attempt, node, line) -> {
          recorder.onLine(jobId, attempt, node, line);
          entered.countDown();
          try {
            never.await(DEADLINE.toSeconds(), TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        };
    append(out(SLOW), numbered(10));
    LogFollowService follower = follower(handler, settings(2, 1 << 20), LogOffsets.NONE, null);
    tick(follower, running(SLOW));
    assertThat(entered.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();

    Instant closing = Instant.now();
    follower.close();

    assertThat(Duration.between(closing, Instant.now())).isLessThan(Duration.ofSeconds(5));
    assertThat(numbersOf(SLOW)).containsExactly(1L);
  }
}
