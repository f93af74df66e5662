package dev.ajr.server.logs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.core.testing.MutableClock;
import dev.ajr.core.tracking.ActiveAttempt;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The follower started for real: lines reach the handler through file-system notifications, or
 * through polling where there are none. Polls and safety polls are set to an hour where a test
 * shows that a line came without them.
 */
class LogFollowNotificationsTest {

  private static final Duration HOUR = Duration.ofHours(1);
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  @TempDir Path dir;

  private final List<String> seen = new CopyOnWriteArrayList<>();
  private final LineHandler recorder = (jobId, attempt, node, line) -> seen.add(line.text());
  private Clock clock = Clock.systemUTC();
  private final List<LogFollowService> started = new ArrayList<>();

  @AfterEach
  void close() {
    started.forEach(LogFollowService::close);
  }

  private static LogSettings settings(Duration poll, boolean notifications) {
    return new LogSettings(
        poll, poll, 1024, 1 << 20, Duration.ofSeconds(10), notifications, HOUR, 2, 1 << 20);
  }

  /** A started follower whose first round adopts the jobs given. */
  private LogFollowService start(
      LogSettings settings, Function<Path, Optional<String>> whyPolled, ActiveAttempt... jobs) {
    LogFollowService service =
        new LogFollowService(recorder, clock, settings, LogOffsets.NONE, whyPolled);
    started.add(service);
    service.update(List.of(jobs));
    service.start();
    return service;
  }

  private ActiveAttempt running(long jobId, Path stdOut) {
    return new ActiveAttempt(
        jobId, 0, true, dir.toString(), stdOut.toString(), "", List.of("node07"), Instant.now());
  }

  private static void append(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
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

  private static Optional<String> watchable(Path p) {
    return Optional.empty();
  }

  @Test
  void aLineAppendedToAWatchedFileArrivesWithoutAnyPoll() throws IOException {
    Path out = dir.resolve("slurm-24.out");
    append(out, "before\n");
    LogFollowService service =
        start(settings(HOUR, true), LogFollowNotificationsTest::watchable, running(24, out));
    await("the file is read once when followed", () -> seen.contains("before"));
    assertThat(service.watchedDirectories()).isEqualTo(1);

    append(out, "Rank0: segmentation fault\n");

    await("the appended line", () -> seen.contains("Rank0: segmentation fault"));
    assertThat(seen).containsExactly("before", "Rank0: segmentation fault");
  }

  @Test
  void aStepLogCreatedInAWatchedDirectoryIsFollowedWithoutListingIt() throws IOException {
    Path out = dir.resolve("slurm-24.out");
    append(out, "started\n");
    start(settings(HOUR, true), LogFollowNotificationsTest::watchable, running(24, out));
    await("standard output read", () -> seen.contains("started"));

    append(dir.resolve("train_24_rank0.log"), "step log line\n");
    append(dir.resolve("train_25_rank0.log"), "another job's line\n");

    await("the new step log", () -> seen.contains("step log line"));
    assertThat(seen).doesNotContain("another job's line");
  }

  @Test
  void aDirectoryWithoutNotificationsIsPolled() throws IOException {
    Path out = dir.resolve("slurm-24.out");
    append(out, "before\n");
    LogFollowService service =
        start(
            settings(Duration.ofMillis(10), true),
            p ->
                Optional.of(
                    "it is on nfs4, where changes made on other hosts raise no notification"),
            running(24, out));
    await("the file is read once when followed", () -> seen.contains("before"));
    assertThat(service.watchedDirectories()).isZero();
    assertThat(service.polledDirectories()).isEqualTo(1);

    append(out, "after\n");

    await("the appended line, by polling", () -> seen.contains("after"));
  }

  @Test
  void withNotificationsOffEveryDirectoryIsPolled() throws IOException {
    Path out = dir.resolve("slurm-24.out");
    LogFollowService service =
        start(
            settings(Duration.ofMillis(10), false),
            LogFollowNotificationsTest::watchable,
            running(24, out));
    await("the job adopted", () -> service.polledDirectories() == 1);
    assertThat(service.watchedDirectories()).isZero();

    append(out, "polled line\n");

    await("the line, by polling", () -> seen.contains("polled line"));
  }

  @Test
  void manyFilesInOneDirectoryShareOneWatchAndAllTheirLinesArrive() throws IOException {
    int count = 300;
    List<ActiveAttempt> jobs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Path out = dir.resolve("slurm-" + (1000 + i) + ".out");
      append(out, "");
      jobs.add(running(1000 + i, out));
    }
    LogFollowService service =
        start(
            settings(HOUR, true),
            LogFollowNotificationsTest::watchable,
            jobs.toArray(ActiveAttempt[]::new));
    await("all files followed", () -> service.followedFiles() == count);
    assertThat(service.watchedDirectories()).isEqualTo(1);

    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < count; i++) {
        append(dir.resolve("slurm-" + (1000 + i) + ".out"), "job " + i + " line " + round + "\n");
      }
    }

    await("every line", () -> seen.size() == 3 * count);
    assertThat(seen).doesNotHaveDuplicates().contains("job 0 line 0", "job 299 line 2");
  }

  @Test
  void aForgottenJobReleasesItsWatch() throws IOException {
    MutableClock moved = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    clock = moved;
    Path out = dir.resolve("slurm-24.out");
    append(out, "l1\n");
    LogFollowService service =
        start(
            settings(Duration.ofMillis(10), true),
            LogFollowNotificationsTest::watchable,
            running(24, out));
    await("the job watched", () -> service.watchedDirectories() == 1);

    service.update(List.of());
    moved.advance(Duration.ofSeconds(11)); // past the 10 s grace

    await("the watch released", () -> service.watchedDirectories() == 0);
    assertThat(service.followedFiles()).isZero();
    assertThat(service.polledDirectories()).isZero();
  }
}
