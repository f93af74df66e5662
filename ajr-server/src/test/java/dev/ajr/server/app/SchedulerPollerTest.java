package dev.ajr.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SchedulerPollerTest {

  private static final Duration SECOND = Duration.ofSeconds(1);

  @Test
  void aQuickReadIsFollowedByTheIntervalAlone() {
    assertThat(SchedulerPoller.waitAfter(Duration.ofMillis(40), SECOND, 0.25)).isEqualTo(SECOND);
  }

  @Test
  void aLongReadStretchesTheWaitToKeepReadingWithinItsShare() {
    assertThat(SchedulerPoller.waitAfter(Duration.ofSeconds(2), SECOND, 0.25))
        .isEqualTo(Duration.ofSeconds(6));
    assertThat(SchedulerPoller.waitAfter(Duration.ofSeconds(2), SECOND, 0.5))
        .isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void aShareOfOneNeverWaitsLongerThanTheInterval() {
    assertThat(SchedulerPoller.waitAfter(Duration.ofSeconds(30), SECOND, 1.0)).isEqualTo(SECOND);
  }
}
