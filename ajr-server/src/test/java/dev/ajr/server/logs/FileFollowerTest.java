package dev.ajr.server.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileFollowerTest {

  @TempDir Path dir;

  /** One delivered line. */
  record Line(String text, long number, Instant writtenAt, boolean truncated) {}

  /** Records every line it is given. */
  static final class Recorder implements FileFollower.LineSink {
    final List<Line> lines = new ArrayList<>();

    @Override
    public void line(String text, long lineNumber, Instant writtenAt, boolean truncated) {
      lines.add(new Line(text, lineNumber, writtenAt, truncated));
    }

    List<String> texts() {
      return lines.stream().map(Line::text).toList();
    }

    List<Long> numbers() {
      return lines.stream().map(Line::number).toList();
    }
  }

  private static void append(Path file, String text) throws IOException {
    append(file, text.getBytes(StandardCharsets.UTF_8));
  }

  private static void append(Path file, byte[] bytes) throws IOException {
    Files.write(file, bytes, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  /** Truncates the file in place (same inode) and writes the text. */
  private static void rewrite(Path file, String text) throws IOException {
    Files.writeString(
        file,
        text,
        StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.CREATE);
  }

  @Test
  void holdsAPartialLineUntilItsNewlineArrives() throws IOException {
    Path file = dir.resolve("out.log");
    FileFollower follower = new FileFollower(file, 1024);
    Recorder sink = new Recorder();

    append(file, "hel");
    assertThat(follower.poll(sink, 1 << 20)).isEqualTo(3);
    assertThat(sink.lines).isEmpty();

    append(file, "lo\nwor");
    follower.poll(sink, 1 << 20);
    assertThat(sink.texts()).containsExactly("hello");

    append(file, "ld\n");
    follower.poll(sink, 1 << 20);
    assertThat(sink.texts()).containsExactly("hello", "world");
    assertThat(sink.numbers()).containsExactly(1L, 2L);
    assertThat(sink.lines).allSatisfy(l -> assertThat(l.truncated()).isFalse());
    assertThat(follower.position()).isEqualTo(Files.size(file));
  }

  @Test
  void stripsTheCarriageReturnOfCrlfLineEndings() throws IOException {
    Path file = dir.resolve("out.log");
    FileFollower follower = new FileFollower(file, 1024);
    Recorder sink = new Recorder();

    append(file, "first\r\nsecond\r");
    follower.poll(sink, 1 << 20);
    append(file, "\nthird\n");
    follower.poll(sink, 1 << 20);

    assertThat(sink.texts()).containsExactly("first", "second", "third");
  }

  @Test
  void reportsTheFileModificationTimeAsWhenTheLineWasWritten() throws IOException {
    Path file = dir.resolve("out.log");
    append(file, "line\n");
    Instant modified = Instant.parse("2025-01-02T03:04:05Z");
    Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.from(modified));
    Recorder sink = new Recorder();

    new FileFollower(file, 1024).poll(sink, 1 << 20);

    assertThat(sink.lines).singleElement().extracting(Line::writtenAt).isEqualTo(modified);
  }

  @Test
  void readsATruncatedFileAgainFromItsStartWithLineNumbersRestarting() throws IOException {
    Path file = dir.resolve("out.log");
    FileFollower follower = new FileFollower(file, 1024);
    Recorder sink = new Recorder();
    append(file, "one\ntwo\nthree\n");
    follower.poll(sink, 1 << 20);

    rewrite(file, "new\n");
    follower.poll(sink, 1 << 20);

    assertThat(sink.texts()).containsExactly("one", "two", "three", "new");
    assertThat(sink.numbers()).containsExactly(1L, 2L, 3L, 1L);
    assertThat(follower.position()).isEqualTo(4);
  }

  @Test
  void readsAFileReplacedByDeleteAndCreateFromItsStart() throws IOException {
    Path file = dir.resolve("out.log");
    FileFollower follower = new FileFollower(file, 1024);
    Recorder sink = new Recorder();
    append(file, "old1\nold2\n");
    follower.poll(sink, 1 << 20);

    // Keep the old file open so the new one cannot get the same inode back.
    try (FileChannel old = FileChannel.open(file, StandardOpenOption.READ)) {
      Files.delete(file);
      // Longer than the old file: only the changed identity tells the follower to restart.
      append(file, "new1\nnew2\nnew3\n");
      follower.poll(sink, 1 << 20);
      assertThat(old.isOpen()).isTrue();
    }

    assertThat(sink.texts()).containsExactly("old1", "old2", "new1", "new2", "new3");
    assertThat(sink.numbers()).containsExactly(1L, 2L, 1L, 2L, 3L);
  }

  @Test
  void readsAFileReplacedByRenameFromItsStart() throws IOException {
    Path file = dir.resolve("out.log");
    FileFollower follower = new FileFollower(file, 1024);
    Recorder sink = new Recorder();
    append(file, "old1\nold2\n");
    follower.poll(sink, 1 << 20);

    Path replacement = dir.resolve("out.log.new");
    append(replacement, "fresh1\nfresh2\nfresh3\n");
    Files.move(replacement, file, StandardCopyOption.REPLACE_EXISTING);
    follower.poll(sink, 1 << 20);

    assertThat(sink.texts()).containsExactly("old1", "old2", "fresh1", "fresh2", "fresh3");
    assertThat(sink.numbers()).containsExactly(1L, 2L, 1L, 2L, 3L);
  }

  @Test
  void followsTheNewFileAfterLogrotateStyleRenameAndCreate() throws IOException {
    Path file = dir.resolve("out.log");
    FileFollower follower = new FileFollower(file, 1024);
    Recorder sink = new Recorder();
    append(file, "before rotation\n");
    follower.poll(sink, 1 << 20);

    Files.move(file, dir.resolve("out.log.1"));
    append(file, "after rotation, a longer first line\n");
    follower.poll(sink, 1 << 20);

    assertThat(sink.texts())
        .containsExactly("before rotation", "after rotation, a longer first line");
    assertThat(sink.numbers()).containsExactly(1L, 1L);
  }

  @Test
  void cutsAHugeLineToMaxLineBytesAndDeliversItOnceWhenItsNewlineArrives() throws IOException {
    int maxLineBytes = 4096;
    Path file = dir.resolve("huge.log");
    FileFollower follower = new FileFollower(file, maxLineBytes);
    Recorder sink = new Recorder();
    byte[] chunk = new byte[1024 * 1024];
    Arrays.fill(chunk, (byte) 'x');

    for (int i = 0; i < 10; i++) {
      append(file, chunk);
      while (follower.poll(sink, 4 * 1024 * 1024) > 0) {
        // read all there is
      }
      assertThat(sink.lines).as("no line before its newline").isEmpty();
    }
    append(file, "\nafter\n");
    follower.poll(sink, 4 * 1024 * 1024);
    follower.flush(sink);

    assertThat(sink.lines).hasSize(2);
    Line huge = sink.lines.get(0);
    assertThat(huge.text()).hasSize(maxLineBytes).matches("x+");
    assertThat(huge.truncated()).isTrue();
    assertThat(huge.number()).isEqualTo(1);
    assertThat(sink.lines.get(1)).isEqualTo(new Line("after", 2, huge.writtenAt(), false));
    assertThat(follower.position()).isEqualTo(10L * chunk.length + 7);
  }

  @Test
  void flushOfAnOverlongUnterminatedLineDeliversItCutAndTruncated() throws IOException {
    Path file = dir.resolve("huge.log");
    FileFollower follower = new FileFollower(file, 256);
    Recorder sink = new Recorder();
    append(file, "y".repeat(10_000));
    follower.poll(sink, 1 << 20);

    follower.flush(sink);

    assertThat(sink.lines)
        .singleElement()
        .satisfies(l -> {
          assertThat(l.text()).hasSize(256);
          assertThat(l.truncated()).isTrue();
        });
  }

  @Test
  void binaryGarbageYieldsLinesWithReplacementCharactersAndNoError() throws IOException {
    Path file = dir.resolve("garbage.bin");
    byte[] bytes = new byte[200_000];
    new Random(42).nextBytes(bytes);
    // Make sure there are invalid UTF-8 sequences and NULs in the first line.
    bytes[0] = (byte) 0xFF;
    bytes[1] = (byte) 0xC3; // a lead byte without its continuation
    bytes[2] = 0;
    bytes[3] = 'A';
    bytes[4] = '\n';
    append(file, bytes);
    long newlines = 0;
    for (byte b : bytes) {
      if (b == '\n') {
        newlines++;
      }
    }
    FileFollower follower = new FileFollower(file, 512);
    Recorder sink = new Recorder();

    while (follower.poll(sink, 64 * 1024) > 0) {
      // read all
    }
    follower.flush(sink);

    assertThat(sink.lines.get(0).text()).isEqualTo("\uFFFD\uFFFD\u0000A");
    // every newline ends a line; flush delivers what follows the last one
    assertThat(sink.lines).hasSizeBetween((int) newlines, (int) newlines + 1);
    assertThat(sink.numbers().get(sink.lines.size() - 1)).isEqualTo(sink.lines.size());
    assertThat(sink.lines).allSatisfy(l -> assertThat(l.text().length()).isLessThanOrEqualTo(512));
    assertThat(String.join("", sink.texts())).contains("\uFFFD");
  }

  @Test
  void readsAtMostMaxBytesPerPollAndTheRestOnTheNextPoll() throws IOException {
    Path file = dir.resolve("big.log");
    StringBuilder content = new StringBuilder();
    for (int i = 0; i < 1000; i++) {
      content.append(String.format("line-%04d%n", i).replace("\r", ""));
    }
    append(file, content.toString());
    assertThat(Files.size(file)).isEqualTo(10_000);
    FileFollower follower = new FileFollower(file, 1024);
    Recorder sink = new Recorder();

    assertThat(follower.poll(sink, 4096)).isEqualTo(4096);
    assertThat(sink.lines).hasSize(409); // 4096 bytes hold 409 whole lines of 10 bytes
    assertThat(follower.poll(sink, 4096)).isEqualTo(4096);
    assertThat(follower.poll(sink, 4096)).isEqualTo(10_000 - 2 * 4096);
    assertThat(follower.poll(sink, 4096)).isZero();

    assertThat(sink.lines).hasSize(1000);
    for (int i = 0; i < 1000; i++) {
      assertThat(sink.lines.get(i).text()).isEqualTo(String.format("line-%04d", i));
      assertThat(sink.lines.get(i).number()).isEqualTo(i + 1);
    }
  }

  @Test
  void pollNeverReturnsMoreThanMaxBytesEvenAboveTheInternalBufferSize() throws IOException {
    Path file = dir.resolve("big.log");
    append(file, "z".repeat(300_000) + "\n");
    FileFollower follower = new FileFollower(file, 1024);
    Recorder sink = new Recorder();

    int first = follower.poll(sink, 100_000);

    assertThat(first).isEqualTo(100_000);
    assertThat(follower.position()).isEqualTo(100_000);
    assertThat(sink.lines).isEmpty();
  }

  @Test
  void flushDeliversALastLineWithoutNewlineOnce() throws IOException {
    Path file = dir.resolve("out.log");
    FileFollower follower = new FileFollower(file, 1024);
    Recorder sink = new Recorder();
    append(file, "a\nthe end");
    follower.poll(sink, 1 << 20);
    assertThat(sink.texts()).containsExactly("a");

    follower.flush(sink);
    follower.flush(sink);

    assertThat(sink.texts()).containsExactly("a", "the end");
    assertThat(sink.numbers()).containsExactly(1L, 2L);
  }

  @Test
  void flushWithNothingPendingDeliversNothing() throws IOException {
    Path file = dir.resolve("out.log");
    FileFollower follower = new FileFollower(file, 1024);
    Recorder sink = new Recorder();
    append(file, "a\n");
    follower.poll(sink, 1 << 20);

    follower.flush(sink);

    assertThat(sink.texts()).containsExactly("a");
  }

  @Test
  void aFileThatDoesNotExistYetIsReadOnceCreated() throws IOException {
    Path file = dir.resolve("later.log");
    FileFollower follower = new FileFollower(file, 1024);
    Recorder sink = new Recorder();

    assertThat(follower.poll(sink, 1 << 20)).isZero();
    assertThat(sink.lines).isEmpty();

    append(file, "hi\n");
    assertThat(follower.poll(sink, 1 << 20)).isEqualTo(3);
    assertThat(sink.texts()).containsExactly("hi");
  }

  @Test
  void aFileDeletedUnderTheFollowerIsNotAnError() throws IOException {
    Path file = dir.resolve("gone.log");
    FileFollower follower = new FileFollower(file, 1024);
    Recorder sink = new Recorder();
    append(file, "x\n");
    follower.poll(sink, 1 << 20);

    Files.delete(file);

    assertThat(follower.poll(sink, 1 << 20)).isZero();
    assertThat(sink.texts()).containsExactly("x");
  }

  @Test
  void checkRewrittenDetectsASameLengthRewriteAndRereadsFromTheStart() throws IOException {
    Path file = dir.resolve("slurm-24.out");
    FileFollower follower = new FileFollower(file, 1024);
    Recorder sink = new Recorder();
    append(file, "a\nb\n");
    follower.poll(sink, 1 << 20);

    rewrite(file, "c\nd\n");
    assertThat(follower.checkRewritten()).isTrue();
    follower.poll(sink, 1 << 20);

    assertThat(sink.texts()).containsExactly("a", "b", "c", "d");
    assertThat(sink.numbers()).containsExactly(1L, 2L, 1L, 2L);
  }

  @Test
  void checkRewrittenDetectsALongerRewrite() throws IOException {
    Path file = dir.resolve("slurm-24.out");
    FileFollower follower = new FileFollower(file, 1024);
    Recorder sink = new Recorder();
    append(file, "epoch 1\nepoch 2\n");
    follower.poll(sink, 1 << 20);

    rewrite(file, "resume 1\nresume 2\nresume 3\n");
    assertThat(follower.checkRewritten()).isTrue();
    follower.poll(sink, 1 << 20);

    assertThat(sink.texts())
        .containsExactly("epoch 1", "epoch 2", "resume 1", "resume 2", "resume 3");
  }

  @Test
  void checkRewrittenIsFalseWhenTheFileWasOnlyAppendedTo() throws IOException {
    Path file = dir.resolve("slurm-24.out");
    FileFollower follower = new FileFollower(file, 1024);
    Recorder sink = new Recorder();
    append(file, "a\nb\n");
    follower.poll(sink, 1 << 20);

    append(file, "c\n");
    assertThat(follower.checkRewritten()).isFalse();
    follower.poll(sink, 1 << 20);

    assertThat(sink.texts()).containsExactly("a", "b", "c");
    assertThat(sink.numbers()).containsExactly(1L, 2L, 3L);
  }

  @Test
  void checkRewrittenIsFalseBeforeAnythingWasRead() throws IOException {
    Path file = dir.resolve("slurm-24.out");
    append(file, "a\n");

    assertThat(new FileFollower(file, 1024).checkRewritten()).isFalse();
  }

  @Test
  void checkRewrittenTreatsADeletedFileAsRewritten() throws IOException {
    Path file = dir.resolve("slurm-24.out");
    FileFollower follower = new FileFollower(file, 1024);
    Recorder sink = new Recorder();
    append(file, "a\n");
    follower.poll(sink, 1 << 20);
    Files.delete(file);

    assertThat(follower.checkRewritten()).isTrue();
    assertThat(follower.position()).isZero();
  }

  @Test
  void aRestoredFollowerResumesAtTheUnfinishedLineWithoutRepeatingOne() throws IOException {
    Path file = dir.resolve("slurm-24.out");
    append(file, "a\nb\npar");
    FileFollower first = new FileFollower(file, 1024);
    first.poll(new Recorder(), 1 << 20);
    FileFollower.Checkpoint checkpoint = first.checkpoint();
    assertThat(checkpoint.resumeAt()).isEqualTo(4);
    assertThat(checkpoint.lineNumber()).isEqualTo(2);

    append(file, "tial\nc\n");
    FileFollower second = new FileFollower(file, 1024);
    Recorder sink = new Recorder();

    assertThat(second.restore(checkpoint)).isTrue();
    second.poll(sink, 1 << 20);
    assertThat(sink.texts()).containsExactly("partial", "c");
    assertThat(sink.numbers()).containsExactly(3L, 4L);
  }

  @Test
  void aRestoreOnAFileRewrittenMeanwhileReadsItFromTheStart() throws IOException {
    Path file = dir.resolve("slurm-24.out");
    append(file, "attempt 0 line\n");
    FileFollower first = new FileFollower(file, 1024);
    first.poll(new Recorder(), 1 << 20);
    FileFollower.Checkpoint checkpoint = first.checkpoint();

    rewrite(file, "attempt 1 said this\n");
    FileFollower second = new FileFollower(file, 1024);
    Recorder sink = new Recorder();

    assertThat(second.restore(checkpoint)).isFalse();
    second.poll(sink, 1 << 20);
    assertThat(sink.texts()).containsExactly("attempt 1 said this");
    assertThat(sink.numbers()).containsExactly(1L);
  }

  @Test
  void aRestoredFollowerStillNoticesALaterRewrite() throws IOException {
    Path file = dir.resolve("slurm-24.out");
    append(file, "one\ntwo\n");
    FileFollower first = new FileFollower(file, 1024);
    first.poll(new Recorder(), 1 << 20);
    FileFollower second = new FileFollower(file, 1024);
    assertThat(second.restore(first.checkpoint())).isTrue();

    rewrite(file, "six\nten\n");

    assertThat(second.checkRewritten()).isTrue();
  }
}
