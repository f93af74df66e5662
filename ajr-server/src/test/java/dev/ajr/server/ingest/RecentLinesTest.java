package dev.ajr.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ajr.core.detect.ExcerptLine;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RecentLinesTest {

  @Test
  void keepsOnlyTheLastLinesOldestFirst() {
    RecentLines recent = new RecentLines(3);
    for (long n = 1; n <= 10; n++) {
      recent.add(n, "line " + n);
    }

    assertThat(recent.size()).isEqualTo(3);
    assertThat(recent.lines())
        .extracting(ExcerptLine::lineNumber, ExcerptLine::text)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(8L, "line 8"),
            org.assertj.core.groups.Tuple.tuple(9L, "line 9"),
            org.assertj.core.groups.Tuple.tuple(10L, "line 10"));
    assertThat(recent.line(9).text()).isEqualTo("line 9");
    assertThat(recent.line(7)).isNull();
  }

  @Test
  void longLinesAreCutSoTheRingIsBoundedInCharacters() {
    RecentLines recent = new RecentLines(9);
    for (long n = 1; n <= 100; n++) {
      recent.add(n, "y".repeat(100_000));
    }

    assertThat(recent.lines()).hasSize(9);
    assertThat(recent.lines().stream().mapToInt(l -> l.text().length()).sum())
        .isEqualTo(9 * ExcerptLine.MAX_CHARS);
  }

  @Test
  void binaryGarbageIsMadeSafe() {
    byte[] garbage = new byte[400];
    new Random(7).nextBytes(garbage);
    String decoded = new String(garbage, StandardCharsets.UTF_8); // malformed bytes become U+FFFD
    RecentLines recent = new RecentLines(2);
    recent.add(1, decoded);
    recent.add(2, "\u0000\u0001\u001b]0;title\u0007\uDFFF");

    for (ExcerptLine l : recent.lines()) {
      assertThat(l.text().chars())
          .noneMatch(c -> Character.isISOControl(c) && c != '\t')
          .noneMatch(c -> c >= 0x202A && c <= 0x202E);
      assertThat(l.text().getBytes(StandardCharsets.UTF_8))
          .asString(StandardCharsets.UTF_8)
          .isEqualTo(l.text()); // no unpaired surrogate: round-trips through UTF-8
    }
    assertThat(recent.line(2).text()).isEqualTo("\uFFFD\uFFFD\uFFFD]0;title\uFFFD\uFFFD");
  }

  @Test
  void aLineNumberGoingBackMeansTheSourceStartedAgain() {
    RecentLines recent = new RecentLines(4);
    recent.add(5, "old 5");
    recent.add(6, "old 6");

    assertThat(recent.add(6, "the same line handed on twice")).isTrue();
    assertThat(recent.add(1, "new 1")).isFalse();

    assertThat(recent.lines()).extracting(ExcerptLine::text).containsExactly("new 1");
  }

  @Test
  void aRingNeedsRoom() {
    assertThatThrownBy(() -> new RecentLines(0)).hasMessageContaining("capacity");
  }
}
