package dev.ajr.core.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RepeatCounterTest {

  private final Repeat fiveIn200 = new Repeat(5, 200);

  @Test
  void aRuleOfOneLineAlwaysCounts() {
    assertThat(new RepeatCounter().counts("crash.segfault", Repeat.ONCE, 7)).isTrue();
  }

  @Test
  void theCountThMatchWithinTheWindowCountsAndTheOnesBeforeDoNot() {
    RepeatCounter counter = new RepeatCounter();
    assertThat(counter.counts("r", fiveIn200, 10)).isFalse();
    assertThat(counter.counts("r", fiveIn200, 12)).isFalse();
    assertThat(counter.counts("r", fiveIn200, 14)).isFalse();
    assertThat(counter.counts("r", fiveIn200, 16)).isFalse();
    assertThat(counter.counts("r", fiveIn200, 18)).isTrue();
    assertThat(counter.counts("r", fiveIn200, 20)).isTrue();
  }

  @Test
  void matchesTooFarApartNeverAddUp() {
    RepeatCounter counter = new RepeatCounter();
    for (long line = 0; line < 10_000; line += 60) {
      assertThat(counter.counts("r", fiveIn200, line)).as("line %d", line).isFalse();
    }
  }

  @Test
  void rulesAreCountedApart() {
    RepeatCounter counter = new RepeatCounter();
    for (int i = 0; i < 4; i++) {
      counter.counts("a", fiveIn200, i);
      counter.counts("b", fiveIn200, i);
    }
    assertThat(counter.counts("a", fiveIn200, 4)).isTrue();
    assertThat(counter.counts("c", fiveIn200, 4)).isFalse();
  }

  @Test
  void aWindowSmallerThanTheCountIsRefused() {
    assertThatThrownBy(() -> new Repeat(5, 3)).hasMessageContaining("at least the count");
    assertThatThrownBy(() -> new Repeat(0, 3)).hasMessageContaining("at least 1");
  }
}
