package dev.ajr.core.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RuleRepeatCapTest {

  @Test
  void eachRuleOfEachAttemptHasItsOwnBound() {
    RuleRepeatCap cap = new RuleRepeatCap(2);

    assertThat(cap.admits(1, 0, "a")).isTrue();
    assertThat(cap.admits(1, 0, "a")).isTrue();
    assertThat(cap.admits(1, 0, "a")).isFalse();
    assertThat(cap.admits(1, 0, "b")).isTrue();
    assertThat(cap.admits(1, 1, "a")).isTrue();
    assertThat(cap.admits(2, 0, "a")).isTrue();
    assertThat(cap.capped()).isEqualTo(1);
  }

  @Test
  void aBoundBelowOneIsRefused() {
    assertThatThrownBy(() -> new RuleRepeatCap(0)).hasMessageContaining("at least 1");
  }
}
