package dev.ajr.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.core.diagnosis.Diagnoser;
import dev.ajr.core.diagnosis.Diagnosis;
import dev.ajr.server.rules.RuleCatalog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WriteTrainingLogTest {

  @TempDir Path dir;

  private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
  private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

  @ParameterizedTest
  @ValueSource(strings = {"realistic", "synthetic"})
  void theWholeFileMustBeReadToFindThePlantedSegfault(String mix) throws IOException {
    Path file = dir.resolve(mix + ".log");

    assertThat(WriteTrainingLog.run(new String[] {file.toString(), "2", mix}, err)).isZero();

    long size = Files.size(file);
    assertThat(size).isLessThanOrEqualTo(2L << 20).isGreaterThan((2L << 20) - 4096);
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    Diagnosis d = new Diagnoser(RuleCatalog.builtIn().engine()).diagnose(lines);
    assertThat(d.findings()).filteredOn(f -> !f.rule().benign()).hasSize(1);
    assertThat(d.root())
        .hasValueSatisfying(root -> {
          assertThat(root.index()).isEqualTo(lines.size() - 1);
          assertThat(root.rule().id()).isEqualTo("crash.segfault");
        });
    assertThat(errBytes.toString(StandardCharsets.UTF_8)).contains(mix + " mix");
  }

  @Test
  void thePathologicalMixHasLongLinesAndEndsWithTheSegfault() throws IOException {
    Path file = dir.resolve("pathological.log");

    assertThat(WriteTrainingLog.run(new String[] {file.toString(), "3", "pathological"}, err))
        .isZero();

    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    assertThat(Files.size(file)).isLessThanOrEqualTo(3L << 20);
    assertThat(lines).anyMatch(l -> l.length() == PathologicalTrainingLog.LONG_LINE);
    assertThat(lines).anyMatch(l -> l.length() == PathologicalTrainingLog.SHORT_LINE);
    assertThat(lines.get(lines.size() - 1))
        .isEqualTo(new PathologicalTrainingLog(7).finalFailure());
  }

  @Test
  void theMixIsRealisticUnlessNamed() throws IOException {
    Path file = dir.resolve("default.log");

    assertThat(WriteTrainingLog.run(new String[] {file.toString(), "1"}, err)).isZero();

    assertThat(Files.readAllLines(file, StandardCharsets.UTF_8))
        .contains(new RealisticTrainingLog(7).finalFailure());
  }

  @Test
  void wrongArgumentsGetTheUsageAndNoFile() throws IOException {
    Path file = dir.resolve("never.log");

    assertThat(WriteTrainingLog.run(new String[] {file.toString()}, err)).isEqualTo(2);
    assertThat(WriteTrainingLog.run(new String[] {file.toString(), "ten"}, err)).isEqualTo(2);
    assertThat(WriteTrainingLog.run(new String[] {file.toString(), "0"}, err)).isEqualTo(2);
    assertThat(WriteTrainingLog.run(new String[] {file.toString(), "1", "fancy"}, err))
        .isEqualTo(2);

    String printed = errBytes.toString(StandardCharsets.UTF_8);
    assertThat(printed)
        .contains("expected 2 or 3 arguments, got 1")
        .contains("MEGABYTES is not a number: ten")
        .contains("MEGABYTES must be at least 1: 0")
        .contains("unknown mix: fancy")
        .contains("usage: WriteTrainingLog FILE MEGABYTES [realistic|synthetic|pathological]");
    assertThat(file).doesNotExist();
  }
}
