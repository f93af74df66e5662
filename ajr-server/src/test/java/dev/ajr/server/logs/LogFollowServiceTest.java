package dev.ajr.server.logs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.core.testing.MutableClock;
import dev.ajr.core.tracking.ActiveAttempt;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogFollowServiceTest {

  private static final long JOB = 24;

  @TempDir Path dir;

  /** One line as the handler got it. */
  record Seen(long jobId, int attempt, String node, String text, String source, long number) {}

  private final List<Seen> seen = new ArrayList<>();
  private final LineHandler recorder =
      (jobId, attempt, node, line) ->
          seen.add(new Seen(jobId, attempt, node, line.text(), line.source(), line.lineNumber()));
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final LogSettings settings =
      new LogSettings(
          Duration.ofMillis(10),
          Duration.ZERO,
          1024,
          1 << 20,
          Duration.ofSeconds(10),
          true,
          Duration.ofSeconds(5),
          2,
          1 << 20);
  private final LogFollowService service = following(recorder, settings, LogOffsets.NONE);

  /**
   * A follower that handles every line it reads before {@code tick} returns (on the thread that
   * calls it), so that a test can look at once.
   */
  private LogFollowService following(LineHandler handler, LogSettings s, LogOffsets offsets) {
    return new LogFollowService(
        handler, clock, s, offsets, NotifyingFileSystems::whyPolled, new InlinePool());
  }

  @AfterEach
  void close() {
    service.close();
  }

  private ActiveAttempt running(int attempt, String stdOut, Instant start) {
    return new ActiveAttempt(
        JOB, attempt, true, dir.toString(), stdOut, "", List.of("node07"), start);
  }

  private ActiveAttempt pending(int attempt, String stdOut) {
    return new ActiveAttempt(JOB, attempt, false, dir.toString(), stdOut, "", List.of(), null);
  }

  private void tick(ActiveAttempt... active) {
    service.update(List.of(active));
    clock.advance(Duration.ofSeconds(1));
    service.tick();
  }

  private static void append(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  private List<String> texts(int attempt) {
    return seen.stream().filter(s -> s.attempt() == attempt).map(Seen::text).toList();
  }

  @Test
  void aStepLogPerAttemptIsAttributedToTheAttemptThatWroteIt() throws IOException {
    Instant start0 = Instant.now().minus(Duration.ofHours(2));
    Path a = dir.resolve("train_24_date_26-01-01_time_00-00-00.log");
    append(a, "a1\na2\n");
    tick(running(0, "", start0));

    append(a, "a3\n"); // written at the end of attempt 0, read while the job waits
    tick(pending(1, ""));

    Instant start1 = Instant.now().minus(Duration.ofMinutes(1));
    Files.setLastModifiedTime(a, FileTime.from(start1.minus(Duration.ofMinutes(5))));
    Path b = dir.resolve("train_24_date_26-01-01_time_01-00-00.log");
    append(b, "b1\nb2\n");
    tick(running(1, "", start1));
    append(b, "b3\n");
    tick(running(1, "", start1));

    assertThat(texts(0)).containsExactly("a1", "a2", "a3");
    assertThat(texts(1)).containsExactly("b1", "b2", "b3");
    assertThat(seen).allSatisfy(s -> assertThat(s.jobId()).isEqualTo(JOB));
    assertThat(seen.stream().filter(s -> s.text().startsWith("b")).map(Seen::source))
        .containsOnly(b.toString());
    assertThat(seen.stream().filter(s -> s.text().startsWith("b")).map(Seen::node))
        .containsOnly("node07");
  }

  @Test
  void aStepLogThatAppearsBeforeAjrSeesTheNewAttemptBelongsToTheNewAttempt() throws IOException {
    LogSettings listing =
        new LogSettings(
            Duration.ofMillis(10),
            Duration.ZERO,
            1024,
            1 << 20,
            Duration.ofSeconds(10),
            false,
            Duration.ofSeconds(5),
            2,
            1 << 20);
    try (LogFollowService polled = following(recorder, listing, LogOffsets.NONE)) {
      Instant start0 = Instant.now().minus(Duration.ofHours(2));
      Path a = dir.resolve("train_24_date_26-01-01_time_00-00-00.log");
      append(a, "a1\n");
      Files.setLastModifiedTime(a, FileTime.from(Instant.now().minus(Duration.ofMinutes(5))));
      polled.update(List.of(running(0, "", start0)));
      polled.tick();
      // requeued and started again between two looks at Slurm: attempt 1's step log appears
      // while ajr still sees attempt 0 running
      Path b = dir.resolve("train_24_date_26-01-01_time_02-00-00.log");
      append(b, "b1\n");
      polled.update(List.of(running(0, "", start0)));
      polled.tick();
      Instant start1 = Instant.now().minusSeconds(1);
      polled.update(List.of(running(1, "", start1)));
      polled.tick();
      append(b, "Rank0: (1) segmentation fault\n");
      polled.update(List.of(running(1, "", start1)));
      polled.tick();

      assertThat(texts(1)).containsExactly("Rank0: (1) segmentation fault");
      assertThat(texts(0)).containsExactly("a1", "b1");
    }
  }

  @Test
  void anOldStepLogFoundFirstDuringALaterAttemptBelongsToThePreviousAttempt() throws IOException {
    Instant start1 = Instant.now().minus(Duration.ofMinutes(1));
    Path a = dir.resolve("train_24_first.log");
    append(a, "from attempt 0\n");
    Files.setLastModifiedTime(a, FileTime.from(start1.minus(Duration.ofMinutes(30))));
    Path b = dir.resolve("train_24_second.log");
    append(b, "from attempt 1\n");

    tick(running(1, "", start1));

    assertThat(texts(0)).containsExactly("from attempt 0");
    assertThat(texts(1)).containsExactly("from attempt 1");
  }

  @Test
  void standardOutputRewrittenByTheNextAttemptIsReadFromItsStartForThatAttempt()
      throws IOException {
    Path out = dir.resolve("slurm-24.out");
    append(out, "epoch 1\nepoch 2\n");
    tick(running(0, out.toString(), Instant.now().minus(Duration.ofHours(1))));
    tick(pending(1, out.toString()));

    // Slurm truncates the output when attempt 1 starts; the new content is no shorter.
    Files.writeString(
        out,
        "resume 1\nresume 2\nresume 3\n",
        StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING);
    ActiveAttempt attempt1 = running(1, out.toString(), Instant.now());
    tick(attempt1);
    tick(attempt1);

    assertThat(texts(0)).containsExactly("epoch 1", "epoch 2");
    assertThat(texts(1)).containsExactly("resume 1", "resume 2", "resume 3");
    assertThat(seen.stream().filter(s -> s.attempt() == 1).map(Seen::number))
        .containsExactly(1L, 2L, 3L);
  }

  @Test
  void standardOutputAppendedToByTheNextAttemptDeliversOnlyTheNewLines() throws IOException {
    Path out = dir.resolve("slurm-24.out");
    append(out, "epoch 1\n");
    tick(running(0, out.toString(), Instant.now().minus(Duration.ofHours(1))));
    tick(pending(1, out.toString()));

    append(out, "resumed\n");
    tick(running(1, out.toString(), Instant.now()));

    assertThat(texts(0)).containsExactly("epoch 1");
    assertThat(texts(1)).containsExactly("resumed");
  }

  @Test
  void aPendingJobNeverSeenRunningIsNotFollowed() throws IOException {
    append(dir.resolve("slurm-24.out"), "stale\n");

    tick(pending(0, dir.resolve("slurm-24.out").toString()));

    assertThat(seen).isEmpty();
    assertThat(service.followedFiles()).isZero();
  }

  @Test
  void aJobNoLongerActiveIsReadDuringTheGracePeriodThenFlushedAndForgotten() throws IOException {
    Path out = dir.resolve("slurm-24.out");
    append(out, "l1\n");
    tick(running(0, out.toString(), Instant.now()));
    assertThat(service.followedFiles()).isEqualTo(1);

    append(out, "l2\nlast words");
    service.update(List.of());
    clock.advance(Duration.ofSeconds(5));
    service.tick();
    assertThat(texts(0)).containsExactly("l1", "l2");
    assertThat(service.followedFiles()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(6)); // 11s since it was last active: past the 10s grace
    service.tick();
    assertThat(texts(0)).containsExactly("l1", "l2", "last words");
    assertThat(service.followedFiles()).isZero();

    append(out, "\nafter it was forgotten\n");
    clock.advance(Duration.ofSeconds(1));
    service.tick();
    assertThat(texts(0)).containsExactly("l1", "l2", "last words");
  }

  @Test
  void aHandlerThatThrowsDoesNotStopTheOtherLines() throws IOException {
    List<String> got = new ArrayList<>();
    LineHandler failing =
        (jobId, attempt, node, line) -> {
          got.add(line.text());
          if (line.text().equals("bad")) {
            throw new IllegalStateException("boom");
          }
        };
    Path out = dir.resolve("slurm-24.out");
    Files.writeString(out, "ok\nbad\nstill read\n", StandardCharsets.UTF_8);
    try (LogFollowService other = following(failing, settings, LogOffsets.NONE)) {
      other.update(List.of(running(0, out.toString(), Instant.now())));
      other.tick();
    }

    assertThat(got).containsExactly("ok", "bad", "still read");
  }

  /** Keeps positions in memory, as the database does across restarts. */
  static final class MemoryOffsets implements LogOffsets {
    final java.util.Map<String, Saved> saved = new java.util.HashMap<>();

    @Override
    public java.util.Optional<Saved> load(long jobId, String path) {
      return java.util.Optional.ofNullable(saved.get(jobId + ":" + path));
    }

    @Override
    public void save(long jobId, String path, int attempt, FileFollower.Checkpoint c) {
      saved.put(jobId + ":" + path, new Saved(attempt, c));
    }

    @Override
    public void forget(long jobId) {
      saved.keySet().removeIf(k -> k.startsWith(jobId + ":"));
    }
  }

  @Test
  void aRestartedFollowerResumesWhereTheLastOneStoppedAndKeepsTheAttempt() throws IOException {
    MemoryOffsets offsets = new MemoryOffsets();
    Path out = dir.resolve("slurm-24.out");
    Path step = dir.resolve("train_24_x.log");
    append(out, "out 1\n");
    append(step, "step 1\n");
    Instant start = Instant.now().minus(Duration.ofHours(1));
    try (LogFollowService before = following(recorder, settings, offsets)) {
      before.update(List.of(running(0, out.toString(), start)));
      clock.advance(Duration.ofSeconds(2));
      before.tick();
    }
    assertThat(texts(0)).containsExactly("out 1", "step 1");

    append(out, "out 2\n");
    append(step, "step 2\n");
    seen.clear();
    try (LogFollowService after = following(recorder, settings, offsets)) {
      after.update(List.of(running(0, out.toString(), start)));
      clock.advance(Duration.ofSeconds(2));
      after.tick();
    }

    assertThat(seen).extracting(Seen::text).containsExactlyInAnyOrder("out 2", "step 2");
    assertThat(seen).extracting(Seen::number).containsOnly(2L);
    assertThat(seen).extracting(Seen::attempt).containsOnly(0);
  }

  @Test
  void positionsOfAForgottenJobAreDropped() throws IOException {
    MemoryOffsets offsets = new MemoryOffsets();
    Path out = dir.resolve("slurm-24.out");
    append(out, "out 1\n");
    try (LogFollowService follower = following(recorder, settings, offsets)) {
      follower.update(List.of(running(0, out.toString(), Instant.now())));
      clock.advance(Duration.ofSeconds(2));
      follower.tick();
      assertThat(offsets.saved).isNotEmpty();

      follower.update(List.of());
      clock.advance(Duration.ofSeconds(11));
      follower.tick();
    }

    assertThat(offsets.saved).isEmpty();
  }

  @Test
  void whatStandardOutputGetsWhileTheJobWaitsBelongsToTheAttemptBefore() throws IOException {
    Path out = dir.resolve("slurm-24.out");
    append(out, "training\n");
    tick(running(0, out.toString(), Instant.now()));

    // slurmstepd writes the end of the requeued run while attempt 1 waits
    append(
        out, "slurmstepd: error: *** JOB 24 ON node1 CANCELLED AT 2026 DUE TO JOB REQUEUE ***\n");
    tick(pending(1, out.toString()));

    assertThat(texts(0))
        .containsExactly(
            "training",
            "slurmstepd: error: *** JOB 24 ON node1" + " CANCELLED AT 2026 DUE TO JOB REQUEUE ***");
    assertThat(texts(1)).isEmpty();
  }
}
