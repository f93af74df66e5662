package dev.ajr.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.core.detect.Detection;
import dev.ajr.core.diagnosis.RuleEngine;
import dev.ajr.server.logs.FileFollower;
import dev.ajr.server.rules.RuleCatalog;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostileOutputTest {

  @TempDir Path dir;

  /** A line as the follower handed it out. */
  private record Read(String text, boolean truncated) {}

  @Test
  void oneCycleHoldsEveryKindOfHostileOutputAsTheFollowerReadsIt() throws IOException {
    Path file = dir.resolve("slurm-1.out");
    long newlines = writeCycle(new HostileOutput(13), file);

    List<Read> lines = follow(file);

    assertThat(lines).as("the writes count their newlines right").hasSize((int) newlines);
    assertThat(lines)
        .as("the 1 MiB line, cut")
        .anyMatch(l -> l.truncated() && l.text().startsWith("LustreError: LustreError: "));
    assertThat(lines)
        .as("a line of 8 KiB that traps backtracking regular expressions")
        .anyMatch(l ->
            l.text().length() == PathologicalTrainingLog.SHORT_LINE
                && l.text().replace("NCCL WARN NET/IB : ", "").length() < 100);
    assertThat(lines)
        .as("a line exactly at the limit, kept whole")
        .anyMatch(l -> !l.truncated() && l.text().length() == HostileOutput.AT_LIMIT);
    assertThat(lines)
        .as("the progress bar: carriage returns inside one line, cut")
        .anyMatch(l ->
            l.truncated()
                && l.text().startsWith("\rEpoch 3:   0%|")
                && l.text().chars().filter(c -> c == '\r').count() > 500);
    assertThat(lines)
        .as("binary bytes: NUL and bytes that are no UTF-8")
        .anyMatch(l -> l.text().indexOf('\0') >= 0 && l.text().indexOf('\uFFFD') >= 0);
    assertThat(lines)
        .as("a burst of one-character lines")
        .filteredOn(l -> l.text().equals("x"))
        .hasSizeGreaterThanOrEqualTo(HostileOutput.TINY_LINES);
    assertThat(Files.size(file)).isBetween(1_300_000L, 1_600_000L);
  }

  @Test
  void theSameSeedGivesTheSameWrites() {
    HostileOutput a = new HostileOutput(5);
    HostileOutput b = new HostileOutput(5);
    for (int i = 0; i < HostileOutput.WRITES_PER_CYCLE; i++) {
      HostileOutput.Write x = a.next();
      HostileOutput.Write y = b.next();
      assertThat(Arrays.equals(x.bytes(), y.bytes())).as("write %d", i).isTrue();
      assertThat(x.lines()).isEqualTo(y.lines());
    }
  }

  @Test
  void theCatalogTakesOnlyTheRepeatedPhrasesForFailures() throws IOException {
    Path file = dir.resolve("slurm-2.out");
    writeCycle(new HostileOutput(13), file);
    RuleEngine engine = RuleCatalog.builtIn().engine();

    List<String> failures = new ArrayList<>();
    List<String> others = new ArrayList<>();
    for (Read line : follow(file)) {
      Optional<Detection> d = engine.classify(line.text());
      if (d.isPresent()) {
        String found = d.get().ruleId() + " <= " + line.text().substring(0, 60);
        // A line of one phrase repeated: LustreError, NCCL WARN, CUDA error, ...
        if (line.text().length() >= PathologicalTrainingLog.SHORT_LINE) {
          failures.add(found);
        } else {
          others.add(found);
        }
      }
    }

    // So the hostile job makes anomalies too, as a program printing failures in a loop would.
    assertThat(failures).as("failures found in the lines of repeated phrases").isNotEmpty();
    assertThat(others).as("failures found in the other lines").isEmpty();
  }

  /** Writes one cycle, each write as the hostile writer makes it; returns the newlines written. */
  private static long writeCycle(HostileOutput output, Path file) throws IOException {
    long newlines = 0;
    try (OutputStream out = Files.newOutputStream(file)) {
      for (int i = 0; i < HostileOutput.WRITES_PER_CYCLE; i++) {
        HostileOutput.Write w = output.next();
        long counted = 0;
        for (byte b : w.bytes()) {
          counted += b == '\n' ? 1 : 0;
        }
        assertThat(counted).as("newlines of write %d", i).isEqualTo(w.lines());
        out.write(w.bytes());
        newlines += w.lines();
      }
    }
    return newlines;
  }

  private static List<Read> follow(Path file) throws IOException {
    List<Read> lines = new ArrayList<>();
    FileFollower follower = new FileFollower(file, HostileOutput.AT_LIMIT);
    while (follower.poll(
            (text, number, writtenAt, truncated) -> lines.add(new Read(text, truncated)),
            Integer.MAX_VALUE)
        > 0) {
      // until the end of the file
    }
    return lines;
  }
}
