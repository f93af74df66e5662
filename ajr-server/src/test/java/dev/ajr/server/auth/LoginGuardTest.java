package dev.ajr.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LoginGuardTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
  private final LoginGuard guard = new LoginGuard(clock, 3, 10, Duration.ofMinutes(15));

  @Test
  void failuresOfANameFromAnAddressSlowItDownByADoublingDelayUpToTheCap() {
    guard.failed("alice", "10.0.0.1");
    guard.failed("ALICE", "10.0.0.1"); // names are counted without case
    assertThat(guard.retryAfter("alice", "10.0.0.1")).isEmpty();
    guard.failed("alice", "10.0.0.1");
    assertThat(guard.retryAfter("alice", "10.0.0.1")).contains(Duration.ofSeconds(1));
    clock.advance(Duration.ofSeconds(1));
    assertThat(guard.retryAfter("alice", "10.0.0.1")).isEmpty();
    guard.failed("alice", "10.0.0.1");
    assertThat(guard.retryAfter("alice", "10.0.0.1")).contains(Duration.ofSeconds(2));
    for (int i = 0; i < 10; i++) {
      guard.failed("alice", "10.0.0.1");
    }
    assertThat(guard.retryAfter("alice", "10.0.0.1")).contains(Duration.ofSeconds(30));
    clock.advance(Duration.ofSeconds(30));
    assertThat(guard.retryAfter("alice", "10.0.0.1")).isEmpty();
  }

  @Test
  void anotherAddressIsNeverSlowedByAnothersFailuresOfTheSameName() {
    for (int i = 0; i < 8; i++) {
      guard.failed("admin", "10.0.0.66");
    }
    assertThat(guard.retryAfter("admin", "10.0.0.66")).isPresent();
    assertThat(guard.retryAfter("admin", "10.0.0.2")).isEmpty();
  }

  @Test
  void oneAddressGuessingManyNamesIsSlowedButOnlyForTheCappedDelay() {
    for (int i = 0; i < 10; i++) {
      guard.failed("user" + i, "10.0.0.1");
    }
    assertThat(guard.retryAfter("someone-else", "10.0.0.1")).contains(Duration.ofSeconds(1));
    assertThat(guard.retryAfter("someone-else", "10.0.0.2")).isEmpty();
    for (int i = 0; i < 30; i++) {
      guard.failed("user" + i, "10.0.0.1");
    }
    assertThat(guard.retryAfter("someone-else", "10.0.0.1")).contains(Duration.ofSeconds(30));
    clock.advance(Duration.ofSeconds(30));
    assertThat(guard.retryAfter("someone-else", "10.0.0.1")).isEmpty();
  }

  @Test
  void aSuccessClearsTheNameFromThatAddressButNotTheAddress() {
    for (int i = 0; i < 3; i++) {
      guard.failed("bob", "10.0.0.1");
    }
    for (int i = 0; i < 7; i++) {
      guard.failed("carol" + i, "10.0.0.1");
    }
    clock.advance(Duration.ofSeconds(1));
    guard.succeeded("bob", "10.0.0.1");
    guard.failed("dave", "10.0.0.1"); // the address's 11th failure
    assertThat(guard.retryAfter("bob", "10.0.0.7")).isEmpty();
    assertThat(guard.retryAfter("bob", "10.0.0.1")).contains(Duration.ofSeconds(2));
  }

  @Test
  void failuresAreForgottenAfterTheWindowWithoutNewOnes() {
    for (int i = 0; i < 6; i++) {
      guard.failed("erin", "10.0.0.1");
    }
    clock.advance(Duration.ofMinutes(15));
    guard.failed("erin", "10.0.0.1");
    assertThat(guard.retryAfter("erin", "10.0.0.1")).isEmpty();
  }

  @Test
  void memoryIsBounded() {
    for (int i = 0; i < LoginGuard.MAX_KEYS + 100; i++) {
      guard.failed("u" + i, "10.0.0.1");
    }
    assertThat(guard.trackedKeys()).isLessThanOrEqualTo(LoginGuard.MAX_KEYS);
  }
}
