package dev.ajr.core.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.core.detect.Anomaly;
import dev.ajr.core.detect.Cause;
import dev.ajr.core.testing.Fixtures;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CascadeBufferTest {

  private static final Instant T = Fixtures.T0;
  private final CascadeBuffer buffer = new CascadeBuffer(Duration.ofSeconds(5));

  @Test
  void aSymptomIsHandedBackOnceItsWindowIsOver() {
    Anomaly symptom = Fixtures.anomaly(42, 0, Cause.NCCL_ERROR);

    assertThat(buffer.hold(symptom, T)).isTrue();
    assertThat(buffer.settled(T.plusSeconds(4))).isEmpty();
    assertThat(buffer.settled(T.plusSeconds(5))).containsExactly(symptom);
    assertThat(buffer.settled(T.plusSeconds(60))).isEmpty();
  }

  @Test
  void theFirstSymptomOfAnAttemptIsKeptAndOtherAttemptsWaitApart() {
    Anomaly first = Fixtures.anomaly(42, 0, Cause.NCCL_ERROR);
    Anomaly second = Fixtures.anomaly(42, 0, Cause.TORCH_DISTRIBUTED_ELASTIC);
    Anomaly nextAttempt = Fixtures.anomaly(42, 1, Cause.NCCL_ERROR);

    buffer.hold(first, T);
    buffer.hold(second, T.plusSeconds(1));
    buffer.hold(nextAttempt, T.plusSeconds(2));

    assertThat(buffer.settled(T.plusSeconds(6))).containsExactly(first);
    assertThat(buffer.settled(T.plusSeconds(7))).containsExactly(nextAttempt);
  }

  @Test
  void withoutAWindowNothingIsHeld() {
    CascadeBuffer atOnce = new CascadeBuffer(Duration.ZERO);

    assertThat(atOnce.hold(Fixtures.anomaly(42, 0, Cause.NCCL_ERROR), T)).isFalse();
    assertThat(atOnce.settled(T.plusSeconds(60))).isEmpty();
  }
}
