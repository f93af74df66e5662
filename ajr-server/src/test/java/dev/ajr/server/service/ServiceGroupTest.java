package dev.ajr.server.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ServiceGroupTest {

  private final List<String> journal = new ArrayList<>();

  private Service recording(String name) {
    return Service.of(name, () -> journal.add("start " + name), () -> journal.add("close " + name));
  }

  private Service failing(String name) {
    return Service.of(
        name,
        () -> {
          journal.add("start " + name);
          throw new IllegalStateException("port 8080 is taken");
        },
        () -> journal.add("close " + name));
  }

  @Test
  void startsInOrderAndClosesInReverse() throws Exception {
    ServiceGroup group =
        new ServiceGroup("server", List.of(recording("db"), recording("api"), recording("poller")));

    group.start();
    group.close();

    assertThat(journal)
        .containsExactly(
            "start db", "start api", "start poller", "close poller", "close api", "close db");
  }

  @Test
  void aFailedStartClosesEveryServiceInReverseAndNamesTheOneThatFailed() {
    ServiceGroup group =
        new ServiceGroup("server", List.of(recording("db"), failing("api"), recording("poller")));

    assertThatThrownBy(group::start)
        .isInstanceOf(ServiceGroup.StartFailed.class)
        .hasMessage("api did not start: port 8080 is taken")
        .satisfies(e -> assertThat(((ServiceGroup.StartFailed) e).service()).isEqualTo("api"));
    assertThat(journal)
        .containsExactly("start db", "start api", "close poller", "close api", "close db");
  }

  @Test
  void aServiceWhoseCloseFailsDoesNotKeepTheOthersOpen() throws Exception {
    Service broken =
        Service.of(
            "relay",
            () -> {},
            () -> {
              throw new IllegalStateException("broker gone");
            });
    ServiceGroup group =
        new ServiceGroup("server", List.of(recording("db"), broken, recording("api")));

    group.start();
    group.close();

    assertThat(journal).containsExactly("start db", "start api", "close api", "close db");
  }

  @Test
  void startAndCloseRunOnce() throws Exception {
    ServiceGroup group = new ServiceGroup("server", List.of(recording("db")));

    group.start();
    group.start();
    group.close();
    group.close();
    group.start();

    assertThat(journal).containsExactly("start db", "close db");
  }

  @Test
  void closingAGroupThatNeverStartedClosesEveryService() {
    ServiceGroup group = new ServiceGroup("server", List.of(recording("db"), recording("api")));

    group.close();

    assertThat(journal).containsExactly("close api", "close db");
  }

  @Test
  void groupsNest() throws Exception {
    ServiceGroup acting = new ServiceGroup("acting", List.of(recording("poller")));
    ServiceGroup server = new ServiceGroup("server", List.of(recording("db"), acting));

    server.start();
    server.close();

    assertThat(journal).containsExactly("start db", "start poller", "close poller", "close db");
    assertThat(server.names()).containsExactly("db", "acting");
  }

  @Test
  void eachStartIsTimedWithTheGivenClock() throws Exception {
    AtomicLong nanos = new AtomicLong();
    Service slow = Service.of("migrations", () -> nanos.addAndGet(1_500_000_000L), () -> {});
    ServiceGroup group = new ServiceGroup("server", List.of(slow), nanos::get);

    group.start();

    assertThat(group.startTimes()).containsExactly(entry("migrations", Duration.ofMillis(1500)));
  }
}
