package dev.ajr.core.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HangDetectorTest {

  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private static final HangSettings SETTINGS =
      new HangSettings(Duration.ofMinutes(10), 5, Duration.ofMinutes(30));

  private static Instant at(long seconds) {
    return START.plusSeconds(seconds);
  }

  @Test
  void aJobThatNeverPrintsProgressIsNeverCalledHung() {
    HangDetector hang = new HangDetector(SETTINGS, START, null, false);

    assertThat(hang.check(at(24 * 3600))).isEmpty();
  }

  @Test
  void afterRegularProgressASilenceOfFiveIntervalsIsNotYetAHangBelowTheFloor() {
    HangDetector hang = new HangDetector(SETTINGS, START, null, false);
    for (int i = 0; i <= 10; i++) {
      hang.progress(at(60 + i * 30L)); // every 30 s; last at 360 s
    }

    assertThat(hang.threshold()).contains(Duration.ofMinutes(10)); // floor beats 5 x 30 s
    assertThat(hang.check(at(360 + 599))).isEmpty();
    assertThat(hang.check(at(360 + 600)))
        .hasValueSatisfying(t -> assertThat(t).contains("no progress for 10 min"));
  }

  @Test
  void slowIterationsRaiseTheThresholdAboveTheFloor() {
    HangDetector hang = new HangDetector(SETTINGS, START, null, false);
    for (int i = 0; i <= 5; i++) {
      hang.progress(at(i * 300L)); // every 5 min
    }

    assertThat(hang.threshold()).contains(Duration.ofMinutes(25));
    assertThat(hang.check(at(1500 + 24 * 60))).isEmpty();
    assertThat(hang.check(at(1500 + 25 * 60))).isPresent();
  }

  @Test
  void aVerdictIsGivenOnceUntilProgressResumes() {
    HangDetector hang = new HangDetector(SETTINGS, START, null, false);
    hang.progress(at(0));
    hang.progress(at(10));
    hang.progress(at(20));

    assertThat(hang.check(at(20 + 601))).isPresent();
    assertThat(hang.check(at(20 + 700))).isEmpty();
    hang.progress(at(800));
    assertThat(hang.check(at(800 + 601))).isPresent();
  }

  @Test
  void whenProgressIsExpectedTheStartupGraceApplies() {
    HangDetector hang = new HangDetector(SETTINGS, START, null, true);

    assertThat(hang.check(at(29 * 60))).isEmpty();
    assertThat(hang.check(at(30 * 60)))
        .hasValueSatisfying(t -> assertThat(t).contains("since the attempt started"));
  }

  @Test
  void theJobsOwnTimeoutReplacesTheThresholds() {
    HangDetector hang = new HangDetector(SETTINGS, START, Duration.ofSeconds(90), false);

    assertThat(hang.check(at(89))).isEmpty();
    assertThat(hang.check(at(90)))
        .hasValueSatisfying(t -> assertThat(t).contains("hang_timeout is 90 s"));
  }
}
