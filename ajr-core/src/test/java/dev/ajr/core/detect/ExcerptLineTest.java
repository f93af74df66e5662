package dev.ajr.core.detect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExcerptLineTest {

  @Test
  void aLongLineIsCutToFiveHundredCharacters() {
    ExcerptLine l = new ExcerptLine(1, "x".repeat(2000), false);

    assertThat(l.text()).hasSize(ExcerptLine.MAX_CHARS).isEqualTo("x".repeat(500));
  }

  @Test
  void aCutNeverSplitsASurrogatePair() {
    String text = "a".repeat(499) + "💥" + "tail";

    assertThat(ExcerptLine.safe(text)).isEqualTo("a".repeat(499));
  }

  @Test
  void controlCharactersUnpairedSurrogatesAndBidiControlsAreReplaced() {
    String text = "ok\u0000\u001b[31mred\u007f\u0085\u202Eevil\u2066\uD800x\uDC00\tand 💥";

    assertThat(ExcerptLine.safe(text))
        .isEqualTo("ok\uFFFD\uFFFD[31mred\uFFFD\uFFFD\uFFFDevil\uFFFD\uFFFDx\uFFFD\tand 💥");
  }

  @Test
  void anOrdinaryLineIsKeptAsItIsAndNullBecomesEmpty() {
    String text = "Rank0: (1) segmentation fault: artificial segfault – ünïcödé";

    assertThat(ExcerptLine.safe(text)).isSameAs(text);
    assertThat(new ExcerptLine(1, null, true).text()).isEmpty();
  }
}
