package dev.ajr.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LoginGuardTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
  private final LoginGuard guard = new LoginGuard(clock, 3, 5, Duration.ofMinutes(15));

  @Test
  void aNameWaitsUntilItsOldestFailureLeavesTheWindow() {
    guard.failed("alice", "10.0.0.1");
    clock.advance(Duration.ofMinutes(5));
    guard.failed("alice", "10.0.0.2");
    guard.failed("ALICE", "10.0.0.3"); // names are counted without case
    assertThat(guard.retryAfter("alice", "10.0.0.9")).contains(Duration.ofMinutes(10));
    clock.advance(Duration.ofMinutes(10));
    assertThat(guard.retryAfter("alice", "10.0.0.9")).isEmpty();
  }

  @Test
  void oneAddressGuessingManyNamesIsLimitedToo() {
    for (int i = 0; i < 5; i++) {
      guard.failed("user" + i, "10.0.0.1");
    }
    assertThat(guard.retryAfter("someone-else", "10.0.0.1")).isPresent();
    assertThat(guard.retryAfter("someone-else", "10.0.0.2")).isEmpty();
  }

  @Test
  void aSuccessClearsTheNameButNotTheAddress() {
    for (int i = 0; i < 3; i++) {
      guard.failed("bob", "10.0.0.1");
    }
    guard.failed("carol", "10.0.0.1");
    guard.failed("dave", "10.0.0.1");
    guard.succeeded("bob");
    assertThat(guard.retryAfter("bob", "10.0.0.7")).isEmpty();
    assertThat(guard.retryAfter("bob", "10.0.0.1")).isPresent();
  }

  @Test
  void memoryIsBounded() {
    for (int i = 0; i < LoginGuard.MAX_KEYS + 100; i++) {
      guard.failed("u" + i, "10.0.0.1");
    }
    assertThat(guard.trackedKeys()).isLessThanOrEqualTo(LoginGuard.MAX_KEYS);
  }
}
