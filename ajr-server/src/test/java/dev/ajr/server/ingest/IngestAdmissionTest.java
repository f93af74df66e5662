package dev.ajr.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ajr.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class IngestAdmissionTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));

  /** 1000 bytes at once in all, 600 per source, 100 bytes a second per source. */
  private final IngestAdmission admission =
      new IngestAdmission(new IngestLimits(1000, 600, 100), clock);

  @Test
  void requestsHoldTheirBytesUntilClosed() {
    try (IngestAdmission.Request a = admission.open("agent on node node1")) {
      a.received(300);
      a.decoded(200);
      assertThat(a.held()).isEqualTo(500);
      assertThat(admission.inFlight()).isEqualTo(500);
    }
    assertThat(admission.inFlight()).isZero();
  }

  @Test
  void oneSourceIsBoundedWhileOthersGoOn() {
    try (IngestAdmission.Request first = admission.open("promtail from 10.0.0.1");
        IngestAdmission.Request second = admission.open("promtail from 10.0.0.1");
        IngestAdmission.Request other = admission.open("promtail from 10.0.0.2")) {
      first.received(400);

      assertThatThrownBy(() -> second.received(300))
          .isInstanceOfSatisfying(
              IngestAdmission.Refused.class,
              r -> {
                assertThat(r.tooLarge()).isFalse();
                assertThat(r.retryAfterSeconds()).isEqualTo(1);
                assertThat(r).hasMessageContaining("ingest.max-bytes-in-flight-per-source");
              });
      assertThat(second.held()).isZero();
      other.received(300);
      assertThat(admission.inFlight()).isEqualTo(700);
    }
  }

  @Test
  void theServerWideBoundRefusesWhateverTheSource() {
    try (IngestAdmission.Request a = admission.open("a");
        IngestAdmission.Request b = admission.open("b");
        IngestAdmission.Request c = admission.open("c")) {
      a.received(500);
      b.received(400);
      assertThatThrownBy(() -> c.decoded(200))
          .isInstanceOfSatisfying(
              IngestAdmission.Refused.class,
              r -> assertThat(r).hasMessageContaining("ingest.max-bytes-in-flight "));
      a.close();
      c.decoded(200);
      assertThat(admission.inFlight()).isEqualTo(600);
    }
  }

  @Test
  void aRequestLargerThanABoundCanNeverPass() {
    try (IngestAdmission.Request r = admission.open("a")) {
      r.received(400);
      assertThatThrownBy(() -> r.decoded(201))
          .isInstanceOfSatisfying(
              IngestAdmission.Refused.class,
              refused -> {
                assertThat(refused.tooLarge()).isTrue();
                assertThat(refused.retryAfterSeconds()).isZero();
              });
    }
  }

  @Test
  void theRateRefillsWithTheClockAndSaysHowLongToWait() {
    // The bucket starts full at 600 bytes (the per-source bound) and refills at 100 bytes a second.
    try (IngestAdmission.Request r = admission.open("a")) {
      r.received(500);
    }
    try (IngestAdmission.Request r = admission.open("a")) {
      assertThatThrownBy(() -> r.received(350))
          .isInstanceOfSatisfying(
              IngestAdmission.Refused.class,
              refused -> {
                assertThat(refused.retryAfterSeconds()).isEqualTo(3); // 250 missing at 100/s
                assertThat(refused).hasMessageContaining("ingest.max-bytes-per-second-per-source");
              });
    }
    clock.advance(Duration.ofMillis(2400));
    try (IngestAdmission.Request r = admission.open("a")) {
      assertThatThrownBy(() -> r.received(350))
          .isInstanceOfSatisfying(
              IngestAdmission.Refused.class,
              refused -> assertThat(refused.retryAfterSeconds()).isEqualTo(1));
    }
    clock.advance(Duration.ofMillis(100));
    try (IngestAdmission.Request r = admission.open("a")) {
      r.received(350);
    }
    try (IngestAdmission.Request other = admission.open("b")) {
      other.received(600); // another source has its own rate
    }
  }

  @Test
  void decompressedBytesDoNotCountAgainstTheRate() {
    try (IngestAdmission.Request r = admission.open("a")) {
      r.received(100);
      r.decoded(500);
    }
    try (IngestAdmission.Request r = admission.open("a")) {
      r.received(500);
    }
  }

  @Test
  void aRefusedRequestGetsBackTheRateItTook() {
    // An open request of "a" keeps its bucket from being forgotten.
    try (IngestAdmission.Request keeper = admission.open("a")) {
      try (IngestAdmission.Request holder = admission.open("b")) {
        holder.received(600);
        try (IngestAdmission.Request r = admission.open("a")) {
          r.received(300);
          assertThatThrownBy(() -> r.received(200)).isInstanceOf(IngestAdmission.Refused.class);
        }
      }
      // Without the refund the bucket of "a" would hold 300; it holds 600 again.
      try (IngestAdmission.Request r = admission.open("a")) {
        r.received(600);
      }
    }
  }

  @Test
  void refusalsAreCounted() {
    try (IngestAdmission.Request a = admission.open("a");
        IngestAdmission.Request b = admission.open("a")) {
      a.received(600);
      assertThatThrownBy(() -> b.received(1)).isInstanceOf(IngestAdmission.Refused.class);
    }
    assertThat(admission.refusals()).isEqualTo(1);
  }
}
