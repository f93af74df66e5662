package dev.ajr.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ajr.core.recovery.Fence;
import dev.ajr.core.testing.MutableClock;
import dev.ajr.server.service.Service;
import dev.ajr.server.service.ServiceGroup;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The replica role driven by hand: a fake lease and clock, rounds and ticks called by the test. */
class ReplicaRoleTest {

  private static final Duration LEASE = Duration.ofSeconds(6);

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
  private final MemoryLease lease = new MemoryLease();
  private final List<String> journal = new ArrayList<>();

  private final ReplicaRole.LeaderDuties duties =
      new ReplicaRole.LeaderDuties() {
        @Override
        public void elected() {
          journal.add("elected");
        }

        @Override
        public void sweep() {
          journal.add("sweep");
        }
      };

  private ServiceGroup acting(Service... services) {
    List<Service> all = new ArrayList<>(List.of(services));
    all.add(
        Service.of("poller", () -> journal.add("start poller"), () -> journal.add("close poller")));
    return new ServiceGroup("acting", all);
  }

  private ReplicaRole role(LeaderElection election, ServiceGroup acting) {
    ReplicaRole role =
        new ReplicaRole(
            Leadership.elected(election),
            acting,
            duties,
            () -> journal.add("follow"),
            () -> journal.add("lost"));
    role.join(election);
    return role;
  }

  @Test
  void aSingleServerActsAtOnceAndAlways() throws Exception {
    Leadership single = Leadership.single();
    ReplicaRole role =
        new ReplicaRole(single, acting(), duties, () -> journal.add("follow"), () -> {});

    role.start();
    role.close();

    assertThat(journal).containsExactly("start poller", "close poller");
    assertThat(single.acts()).isTrue();
    assertThat(single.role()).isEqualTo("single");
    assertThat(single.fence()).isSameAs(Fence.NONE);
  }

  @Test
  void aFollowerRefreshesFromTheStoreAndActsOnlyOnceElected() throws Exception {
    lease.acquire("other", clock.instant(), LEASE);
    LeaderElection election = new LeaderElection(lease, "me", LEASE, clock);
    Leadership leadership = Leadership.elected(election);
    ReplicaRole role = role(election, acting());

    election.round();
    role.tick();

    assertThat(leadership.acts()).isFalse();
    assertThat(leadership.role()).isEqualTo("follower");
    assertThatThrownBy(election::check).isInstanceOf(Fence.FencedOut.class);
    assertThat(journal).containsExactly("follow");

    clock.advance(LEASE.plusSeconds(1)); // the other replica stopped renewing
    election.round();
    role.tick();

    assertThat(leadership.acts()).isTrue();
    assertThat(leadership.role()).isEqualTo("leader");
    election.check(); // holds the lease with the current token
    assertThat(lease.current().orElseThrow().token()).isEqualTo(2);
    assertThat(journal).containsExactly("follow", "elected", "start poller", "sweep");
  }

  @Test
  void aLeaderThatCannotRenewInTimeIsFencedOutAndStops() throws Exception {
    LeaderElection election = new LeaderElection(lease, "me", LEASE, clock);
    role(election, acting());
    election.round();
    assertThat(journal).containsExactly("elected", "start poller");

    lease.failing(true);
    clock.advance(Duration.ofSeconds(2));
    election.round();
    assertThat(journal).doesNotContain("lost"); // still within two thirds of the lease

    clock.advance(Duration.ofSeconds(3));
    assertThatThrownBy(election::check)
        .isInstanceOf(Fence.FencedOut.class)
        .hasMessageContaining("does not hold the leader lease");
    election.round();

    assertThat(journal).containsExactly("elected", "start poller", "lost");
  }

  @Test
  void anElectedLeaderWhoseActingServicesCannotStartGivesUp() {
    Service broken =
        Service.of(
            "log follower",
            () -> {
              throw new IllegalStateException("no inotify watches left");
            },
            () -> journal.add("close log follower"));
    LeaderElection election = new LeaderElection(lease, "me", LEASE, clock);
    role(election, acting(broken));

    election.round();

    assertThat(journal).containsExactly("elected", "close poller", "close log follower", "lost");
  }

  @Test
  void closingReleasesTheLeaseSoAnotherReplicaTakesOverAtOnce() throws Exception {
    LeaderElection election = new LeaderElection(lease, "me", LEASE, clock);
    ReplicaRole role = role(election, acting());
    election.round();

    role.close();

    assertThat(journal).endsWith("close poller");
    assertThat(lease.acquire("other", clock.instant(), LEASE)).contains(2L);
  }

  @Test
  void aFailingSecondOfWorkIsLoggedAndTheNextOneRuns() {
    LeaderElection election = new LeaderElection(lease, "me", LEASE, clock);
    int[] calls = {0};
    ReplicaRole role =
        new ReplicaRole(
            Leadership.elected(election),
            acting(),
            duties,
            () -> {
              if (calls[0]++ == 0) {
                throw new IllegalStateException("database away");
              }
            },
            () -> {});

    role.tick();
    role.tick();

    assertThat(calls[0]).isEqualTo(2);
  }
}
