package dev.ajr.server.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.core.event.AjrEvent;
import dev.ajr.core.job.JobStatus;
import dev.ajr.server.store.Database;
import dev.ajr.server.store.SqlOutbox;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RabbitMQ restarted for real ({@code rabbitmqctl stop_app}, {@code start_app}) while events flow:
 * none is lost, and the ones sent twice carry the same id.
 */
class AmqpBrokerRestartTest {

  @TempDir java.nio.file.Path dir;

  @Test
  void noEventIsLostWhenTheBrokerRestartsAndDuplicatesShareTheirId() throws Exception {
    Clock clock = Clock.systemUTC();
    List<String> published = new CopyOnWriteArrayList<>();
    try (Database db = Database.openSqlite(dir);
        TestBroker broker = new TestBroker("job.status.*")) {
      SqlOutbox outbox = new SqlOutbox(db);
      // the ids the sink gave the events: read back from the outbox as they are written
      Outbox recording =
          new DelegatingOutbox(outbox) {
            @Override
            public void append(EventMessages.Message message, java.time.Instant at) {
              super.append(message, at);
              published.add(message.id().toString());
            }
          };
      AtomicBoolean stop = new AtomicBoolean();
      try (AmqpRelay relay = new AmqpRelay(broker.settings(), outbox, clock)) {
        relay.start();
        OutboxEventSink sink = new OutboxEventSink(recording, clock, relay::wake);
        Thread producer =
            Thread.ofPlatform()
                .name("test-producer")
                .start(() -> {
                  for (long job = 1; !stop.get() && job < 100_000; job++) {
                    sink.publish(new AjrEvent.JobStatusChanged(job, JobStatus.RUNNING, ""));
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
                  }
                });
        TestBroker.await("events flowing", Duration.ofSeconds(30), () -> relay.sent() >= 50);
        try {
          TestBroker.rabbitmqctl("stop_app");
          int before = published.size();
          TestBroker.await(
              "events written while the broker is down",
              Duration.ofSeconds(30),
              () -> published.size() >= before + 50);
          assertThat(relay.connected()).isFalse();
        } finally {
          TestBroker.rabbitmqctl("start_app");
          TestBroker.rabbitmqctl("await_startup");
        }
        int afterRestart = published.size();
        TestBroker.await(
            "events after the restart",
            Duration.ofSeconds(30),
            () -> published.size() >= afterRestart + 50);
        stop.set(true);
        join(producer);
        TestBroker.await(
            "the outbox sent", Duration.ofSeconds(60), () -> outbox.unsentCount() == 0);

        assertThat(relay.outages()).isGreaterThanOrEqualTo(1);
        assertThat(relay.connected()).isTrue();
      }

      Set<String> expected = new LinkedHashSet<>(published);
      List<TestBroker.Received> got =
          broker.drain(
              Duration.ofSeconds(30),
              l ->
                  l.stream().map(TestBroker.Received::messageId).distinct().count()
                      >= expected.size());
      Map<String, Integer> copies = new HashMap<>();
      got.forEach(r -> copies.merge(r.messageId(), 1, Integer::sum));
      List<String> lost = new ArrayList<>(expected);
      lost.removeAll(copies.keySet());

      assertThat(lost).as("events lost").isEmpty();
      assertThat(copies.keySet()).as("only the events published").isSubsetOf(expected);
      // a duplicate is the same message again: same id, same body
      Map<String, String> bodies = new HashMap<>();
      for (TestBroker.Received r : got) {
        String first = bodies.putIfAbsent(r.messageId(), r.body());
        assertThat(first == null || first.equals(r.body())).isTrue();
        assertThat(r.body()).contains("\"id\":\"" + r.messageId() + "\"");
      }
      System.out.printf(
          "broker restart: %d events published, %d delivered, %d duplicates%n",
          expected.size(), got.size(), got.size() - copies.size());
    }
  }

  private static void join(Thread t) {
    try {
      t.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
