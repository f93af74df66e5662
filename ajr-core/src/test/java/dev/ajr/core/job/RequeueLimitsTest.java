package dev.ajr.core.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequeueLimitsTest {

  @ParameterizedTest(name = "default {0}, cap {1}, asked {2} -> {3}")
  @CsvSource(
      nullValues = "none",
      value = {
        "1, 3, none, 1",
        "0, 3, none, 0",
        "1, 3, 2,    2",
        "1, 3, 0,    0",
        "1, 3, 3,    3",
        "1, 3, 10,   3",
        "2, 2, 5,    2",
      })
  void effectiveIsRequestOrDefaultNeverAboveCap(
      int defaultMax, int cap, Integer requested, int expected) {
    RequeueLimits limits = new RequeueLimits(defaultMax, cap);
    OptionalInt asked = requested == null ? OptionalInt.empty() : OptionalInt.of(requested);

    assertThat(limits.effective(asked)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"-1, 3", "1, -1", "-2, -1"})
  void rejectsNegativeLimits(int defaultMax, int cap) {
    assertThatThrownBy(() -> new RequeueLimits(defaultMax, cap))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("negative");
  }

  @Test
  void rejectsDefaultAboveCap() {
    assertThatThrownBy(() -> new RequeueLimits(4, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("above the cap");
  }

  @Test
  void directiveUsesLimitsForItsEffectiveMax() {
    Directive directive = new Directive(AutoResumeMode.REQUEUE, OptionalInt.of(9));

    assertThat(directive.effectiveMaxRequeues(new RequeueLimits(1, 5))).isEqualTo(5);
  }
}
