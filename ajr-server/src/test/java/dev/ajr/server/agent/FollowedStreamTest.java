package dev.ajr.server.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.core.detect.Evidence;
import dev.ajr.server.ingest.AgentBatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FollowedStreamTest {

  @TempDir Path dir;

  private static List<String> texts(List<AgentBatch.Stream> entries) {
    return entries.stream().flatMap(s -> s.lines().stream()).map(AgentBatch.Line::text).toList();
  }

  @Test
  void aTruncatedFileStartsANewGenerationSoItsLinesAreNew() throws Exception {
    Path file = dir.resolve("train-5.out");
    Files.writeString(file, "a\nb\nc\n");
    FollowedStream stream = new FollowedStream(file, 1024, Evidence.JOB_OUTPUT, 5, -1, true);
    List<AgentBatch.Stream> first = stream.read(1 << 20);
    assertThat(texts(first)).containsExactly("a", "b", "c");
    assertThat(first.get(0).generation()).isEqualTo("job5.0");

    Files.writeString(file, "x\n"); // truncated and written anew
    List<AgentBatch.Stream> second = stream.read(1 << 20);
    assertThat(texts(second)).containsExactly("x");
    assertThat(second.get(0).generation()).isEqualTo("job5.1");
    assertThat(second.get(0).lines().get(0).position()).isEqualTo(1);
  }

  @Test
  void aRotatedFileStartsANewGeneration() throws Exception {
    Path file = dir.resolve("kern.log");
    Files.writeString(file, "one\ntwo\n");
    FollowedStream stream = new FollowedStream(file, 1024, Evidence.KERNEL_LOG, 0, -1, true);
    stream.read(1 << 20);
    Files.move(file, dir.resolve("kern.log.1"));
    Files.writeString(file, "three\nfour\nfive\n");
    List<AgentBatch.Stream> after = stream.read(1 << 20);
    assertThat(texts(after)).containsExactly("three", "four", "five");
    assertThat(after.get(0).generation()).isEqualTo("file.1");
  }

  @Test
  void aRestoredStreamResumesAfterWhatWasAcknowledged() throws Exception {
    Path file = dir.resolve("train-5.out");
    Files.writeString(file, "a\nb\n");
    FollowedStream stream = new FollowedStream(file, 1024, Evidence.JOB_OUTPUT, 5, -1, true);
    stream.read(1 << 20);
    AgentState.FileStream saved = stream.saved();
    Files.writeString(file, "c\n", StandardOpenOption.APPEND);
    FollowedStream restored = FollowedStream.restore(saved, 1024);
    List<AgentBatch.Stream> next = restored.read(1 << 20);
    assertThat(texts(next)).containsExactly("c");
    assertThat(next.get(0).lines().get(0).position()).isEqualTo(3);
    assertThat(next.get(0).generation()).isEqualTo("job5.0");
  }

  @Test
  void hugeAndBinaryLinesAreCutAndReplacedNotFatal() throws Exception {
    Path file = dir.resolve("train-5.out");
    byte[] garbage = new byte[5000];
    for (int i = 0; i < garbage.length; i++) {
      garbage[i] = (byte) (i % 251 == 10 ? 0 : i % 251);
    }
    Files.write(file, garbage);
    Files.writeString(
        file, "\n" + "y".repeat(10 * 1024 * 1024) + "\nok\n", StandardOpenOption.APPEND);
    FollowedStream stream = new FollowedStream(file, 4096, Evidence.JOB_OUTPUT, 5, -1, true);
    List<AgentBatch.Line> lines =
        stream.read(64 << 20).stream().flatMap(s -> s.lines().stream()).toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(1).truncated()).isTrue();
    assertThat(lines.get(1).text().length()).isLessThanOrEqualTo(4096);
    assertThat(lines.get(2).text()).isEqualTo("ok");
  }
}
