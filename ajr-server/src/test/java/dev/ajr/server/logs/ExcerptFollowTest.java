package dev.ajr.server.logs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.core.detect.ExcerptLine;
import dev.ajr.core.testing.MutableClock;
import dev.ajr.server.ingest.ExcerptPipeline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The excerpt around an anomaly found in a job's standard output on the shared file system: the
 * follower reads the file in-process, the anomaly is stored in SQLite with the lines before it, and
 * the lines written after it join its excerpt.
 */
class ExcerptFollowTest {

  private static final String SEGFAULT = "Rank0: (1) segmentation fault: artificial segfault";

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private ExcerptPipeline pipeline;

  @BeforeEach
  void open() {
    pipeline = new ExcerptPipeline(dir, clock);
  }

  @AfterEach
  void close() {
    pipeline.close();
  }

  private static String numbered(int from, int to) {
    StringBuilder s = new StringBuilder();
    IntStream.rangeClosed(from, to).forEach(i -> s.append("step ").append(i).append('\n'));
    return s.toString();
  }

  @Test
  void aFollowedFileGivesTheEightLinesBeforeTheRootAndTheFourAfter() throws IOException {
    LogSettings settings =
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
    Path out = Path.of(pipeline.stdOut());
    try (LogFollowService follower =
        new LogFollowService(
            pipeline.lines,
            clock,
            settings,
            LogOffsets.NONE,
            NotifyingFileSystems::whyPolled,
            new InlinePool())) {
      Files.writeString(out, numbered(1, 10) + SEGFAULT + "\n" + numbered(12, 13));
      follower.update(List.of(pipeline.running()));
      clock.advance(Duration.ofSeconds(1));
      follower.tick();

      List<ExcerptLine> first = pipeline.excerptOfOnlyAnomaly();
      assertThat(first)
          .extracting(ExcerptLine::lineNumber)
          .containsExactly(3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L);

      Files.writeString(out, numbered(14, 20), StandardOpenOption.APPEND);
      clock.advance(Duration.ofSeconds(1));
      follower.tick();
    }

    List<ExcerptLine> excerpt = pipeline.excerptOfOnlyAnomaly();
    assertThat(excerpt)
        .extracting(ExcerptLine::lineNumber)
        .containsExactly(3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L, 15L);
    assertThat(excerpt.get(0).text()).isEqualTo("step 3");
    assertThat(excerpt)
        .filteredOn(ExcerptLine::root)
        .singleElement()
        .isEqualTo(new ExcerptLine(11, SEGFAULT, true));
    assertThat(excerpt.get(12).text()).isEqualTo("step 15");
  }
}
