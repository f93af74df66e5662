package dev.ajr.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LeaderElectionTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));

  @Test
  void aReplicaWhoseStartFailedDoesNotLeadAndStartsAgainOnTheNextRound() {
    LeaderElection election =
        new LeaderElection(new MemoryLease(), "me", Duration.ofSeconds(6), clock);
    AtomicInteger starts = new AtomicInteger();
    election.listen(
        () -> {
          if (starts.incrementAndGet() == 1) {
            throw new IllegalStateException("the database cannot be reached");
          }
        },
        () -> {});

    election.round();

    assertThat(starts).hasValue(1);
    assertThat(election.isLeader()).as("not leading after a failed start").isFalse();
    assertThat(election.elected()).isFalse();

    election.round();

    assertThat(starts).as("started again").hasValue(2);
    assertThat(election.isLeader()).isTrue();
    assertThat(election.elected()).isTrue();
  }
}
