package dev.ajr.core.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExcerptTest {

  private static ExcerptLine line(long n, String text) {
    return new ExcerptLine(n, text, false);
  }

  @Test
  void linesAreMergedInLineOrderOncePerLineNumber() {
    List<ExcerptLine> kept = List.of(line(4, "four"), new ExcerptLine(5, "root", true));

    List<ExcerptLine> merged =
        Excerpt.merge(kept, List.of(line(6, "six"), line(5, "root again"), line(3, "three")));

    assertThat(merged)
        .containsExactly(
            line(3, "three"), line(4, "four"), new ExcerptLine(5, "root", true), line(6, "six"));
  }

  @Test
  void aRootMarkIsNeverLost() {
    List<ExcerptLine> merged =
        Excerpt.merge(List.of(line(5, "root")), List.of(new ExcerptLine(5, "root", true)));

    assertThat(merged).containsExactly(new ExcerptLine(5, "root", true));
  }

  @Test
  void anExcerptOverItsBoundLosesTheLinesFarthestFromTheRoot() {
    String wide = "€".repeat(ExcerptLine.MAX_CHARS); // 1500 bytes in UTF-8
    List<ExcerptLine> lines = new ArrayList<>();
    for (long n = 1; n <= 20; n++) {
      lines.add(new ExcerptLine(n, wide, n == 9));
    }

    List<ExcerptLine> merged = Excerpt.merge(List.of(), lines);

    assertThat(Excerpt.size(merged)).isLessThanOrEqualTo(Excerpt.MAX_BYTES);
    assertThat(merged).extracting(ExcerptLine::lineNumber).contains(8L, 9L, 10L);
    assertThat(merged).extracting(ExcerptLine::lineNumber).doesNotContain(1L, 20L);
    assertThat(merged).extracting(ExcerptLine::lineNumber).isSorted();
    assertThat(merged).filteredOn(ExcerptLine::root).hasSize(1);
  }

  @Test
  void aFullExcerptOfAsciiLinesFitsWhole() {
    List<ExcerptLine> lines = new ArrayList<>();
    for (long n = 1; n <= Excerpt.LINES_BEFORE + 1 + Excerpt.LINES_AFTER; n++) {
      lines.add(new ExcerptLine(n, "x".repeat(ExcerptLine.MAX_CHARS), n == 9));
    }

    assertThat(Excerpt.merge(List.of(), lines)).hasSize(13);
  }
}
