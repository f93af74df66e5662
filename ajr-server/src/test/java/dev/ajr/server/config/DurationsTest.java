package dev.ajr.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @ParameterizedTest
  @CsvSource({
    "250ms, 250",
    "5s, 5000",
    "10m, 600000",
    "1h, 3600000",
    "2d, 172800000",
    "' 7 s ', 7000",
    "0s, 0"
  })
  void parsesEachUnit(String text, long millis) {
    assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "5", "s", "5w", "-5s", "1.5s", "5 seconds", "5S"})
  void rejectsWhatIsNotADurationWithAnExample(String text) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a duration")
        .hasMessageContaining("250ms, 5s, 10m, 1h or 30d");
  }

  @ParameterizedTest
  @ValueSource(strings = {"99999999999999999999s", "9999999999999999h", "999999999999999999m"})
  void rejectsADurationTooLargeToHoldAsAnIllegalArgument(String text) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(text);
  }

  @ParameterizedTest
  @ValueSource(strings = {"250ms", "5s", "10m", "1h", "1500ms", "90s"})
  void formatReadsBackToTheSameDuration(String text) {
    Duration d = Durations.parse(text);

    assertThat(Durations.parse(Durations.format(d))).isEqualTo(d);
  }

  @org.junit.jupiter.api.Test
  void formatUsesTheLargestWholeUnit() {
    assertThat(Durations.format(Duration.ofMinutes(120))).isEqualTo("2h");
    assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
    assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
  }
}
