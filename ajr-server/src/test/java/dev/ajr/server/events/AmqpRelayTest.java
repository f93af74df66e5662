package dev.ajr.server.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import dev.ajr.core.event.AjrEvent;
import dev.ajr.server.store.Database;
import dev.ajr.server.store.SqlOutbox;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outbox and its relay against this machine's RabbitMQ, with the outbox on SQLite. */
class AmqpRelayTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  @TempDir java.nio.file.Path dir;
  private Database db;
  private SqlOutbox outbox;
  private TestBroker broker;
  private final Clock clock = Clock.systemUTC();

  @BeforeEach
  void open() throws Exception {
    db = Database.openSqlite(dir);
    outbox = new SqlOutbox(db);
    broker = new TestBroker("#");
  }

  @AfterEach
  void close() throws Exception {
    broker.close();
    db.close();
  }

  @Test
  void everyEventArrivesWithItsRoutingKeyAndEnvelope() throws Exception {
    try (AmqpRelay relay = new AmqpRelay(broker.settings(), outbox, clock)) {
      relay.start();
      OutboxEventSink sink = new OutboxEventSink(outbox, clock, relay::wake);
      SampleEvents.all(24).forEach(sink::publish);

      List<TestBroker.Received> got = broker.drain(DEADLINE, l -> l.size() >= 8);

      assertThat(got)
          .extracting(TestBroker.Received::routingKey)
          .containsExactlyElementsOf(SampleEvents.KEYS);
      for (TestBroker.Received r : got) {
        JsonNode env = JSON.readTree(r.body());
        assertThat(env.get("id").asText()).isEqualTo(r.messageId());
        assertThat(env.get("schema").asText()).isEqualTo("ajr.event.v1");
        assertThat(env.get("type").asText()).isEqualTo(r.type());
        assertThat(env.get("jobId").asLong()).isEqualTo(24);
        assertThat(env.get("data").isObject()).isTrue();
        assertThat(r.contentType()).isEqualTo("application/json");
      }
      TestBroker.await("rows marked sent", DEADLINE, () -> outbox.unsentCount() == 0);
      assertThat(relay.sent()).isEqualTo(8);
      assertThat(relay.outages()).isZero();
    }
  }

  @Test
  void aQueueBoundToAPatternGetsOnlyThoseEvents() throws Exception {
    try (TestBroker anomalies = new TestBroker("anomaly.detected.*", "recovery.*.verified");
        AmqpRelay relay =
            new AmqpRelay(broker.settings().withExchange(anomalies.exchange), outbox, clock)) {
      relay.start();
      OutboxEventSink sink = new OutboxEventSink(outbox, clock, relay::wake);
      SampleEvents.all(24).forEach(sink::publish);

      TestBroker.await("all sent", DEADLINE, () -> outbox.unsentCount() == 0);
      List<TestBroker.Received> got = anomalies.drain(Duration.ofSeconds(5), l -> l.size() >= 2);

      assertThat(got)
          .extracting(TestBroker.Received::routingKey)
          .containsExactly("anomaly.detected.crash_segfault", "recovery.requeue_hold.verified");
    }
  }

  @Test
  void eventsWrittenWhileTheBrokerIsUnreachableAreSentLaterInOrder() throws Exception {
    AmqpSettings unreachable =
        AmqpSettings.parse("amqp://guest:guest@127.0.0.1:1/", null)
            .withExchange(broker.exchange)
            .withRetry(Duration.ofMillis(50), Duration.ofMillis(200));
    try (AmqpRelay down = new AmqpRelay(unreachable, outbox, clock)) {
      assertThatCodeStarts(down);
      OutboxEventSink sink = new OutboxEventSink(outbox, clock, down::wake);
      SampleEvents.all(24).forEach(sink::publish);

      assertThat(outbox.unsentCount()).isEqualTo(8);
      assertThat(down.connected()).isFalse();
      assertThat(down.outages()).isEqualTo(1);
    }
    // ajr restarted with the broker reachable: the outbox is sent, oldest first
    try (AmqpRelay relay = new AmqpRelay(broker.settings(), outbox, clock)) {
      relay.start();
      List<TestBroker.Received> got = broker.drain(DEADLINE, l -> l.size() >= 8);

      assertThat(got)
          .extracting(TestBroker.Received::routingKey)
          .containsExactlyElementsOf(SampleEvents.KEYS);
    }
  }

  private static void assertThatCodeStarts(AmqpRelay relay) {
    try {
      relay.start();
    } catch (AmqpRelay.RefusedException e) {
      throw new AssertionError("a broker that is down must not stop the start", e);
    }
  }

  @Test
  void aRowResentAfterAFailedMarkIsADuplicateWithTheSameId() throws Exception {
    AtomicInteger marks = new AtomicInteger();
    Outbox forgetful =
        new DelegatingOutbox(outbox) {
          @Override
          public void markSent(List<Long> seqs, Instant at) {
            if (marks.getAndIncrement() == 0) {
              throw new dev.ajr.core.store.StoreException("the database went away", null);
            }
            super.markSent(seqs, at);
          }
        };
    try (AmqpRelay relay = new AmqpRelay(broker.settings(), forgetful, clock)) {
      relay.start();
      OutboxEventSink sink = new OutboxEventSink(outbox, clock, relay::wake);
      List<AjrEvent> events = SampleEvents.all(24).subList(0, 3);
      events.forEach(sink::publish);
      TestBroker.await("all marked sent", DEADLINE, () -> outbox.unsentCount() == 0);

      List<TestBroker.Received> got = broker.drain(Duration.ofSeconds(5), l -> l.size() >= 6);
      Set<String> ids = new HashSet<>();
      got.forEach(r -> ids.add(r.messageId()));

      assertThat(got.size()).isGreaterThan(ids.size());
      assertThat(ids).hasSize(3);
      assertThat(marks.get()).isGreaterThanOrEqualTo(2);
    }
  }

  @Test
  void wrongCredentialsAreRefusedClearlyWithoutThePassword() throws Exception {
    AmqpSettings wrong =
        AmqpSettings.parse("amqp://guest:not-the-password@127.0.0.1:5672/", null)
            .withExchange(broker.exchange);
    try (AmqpRelay relay = new AmqpRelay(wrong, outbox, clock)) {
      assertThatThrownBy(relay::start)
          .isInstanceOf(AmqpRelay.RefusedException.class)
          .hasMessageContaining("RabbitMQ at amqp://127.0.0.1:5672/ refused the credentials")
          .hasMessageContaining("user guest")
          .hasMessageNotContaining("not-the-password");
    }
  }

  @Test
  void anUnknownVirtualHostIsRefusedClearly() throws Exception {
    AmqpSettings wrong =
        AmqpSettings.parse("amqp://guest:guest@127.0.0.1:5672/no-such-vhost", null)
            .withExchange(broker.exchange);
    try (AmqpRelay relay = new AmqpRelay(wrong, outbox, clock)) {
      assertThatThrownBy(relay::start)
          .isInstanceOf(AmqpRelay.RefusedException.class)
          .hasMessageContaining("virtual host no-such-vhost");
    }
  }

  @Test
  void anExchangeOfAnotherTypeIsRefusedClearly() throws Exception {
    String fanout = broker.exchange + ".fanout";
    try (Connection c = TestBroker.connect();
        Channel ch = c.createChannel()) {
      ch.exchangeDeclare(fanout, BuiltinExchangeType.FANOUT, false, true, null);
      try (AmqpRelay relay = new AmqpRelay(broker.settings().withExchange(fanout), outbox, clock)) {
        assertThatThrownBy(relay::start)
            .isInstanceOf(AmqpRelay.RefusedException.class)
            .hasMessageContaining("refused the exchange " + fanout);
      }
      ch.exchangeDelete(fanout);
    }
  }

  @Test
  void sentRowsArePrunedAndUnsentRowsBounded() throws Exception {
    OutboxEventSink sink = new OutboxEventSink(outbox, clock, () -> {});
    SampleEvents.all(24).forEach(sink::publish);
    AmqpSettings bounded =
        AmqpSettings.parse("amqp://guest:guest@127.0.0.1:1/", null)
            .withRetry(Duration.ofMillis(50), Duration.ofMillis(200))
            .withOutbox(Duration.ofDays(1), 5);
    try (AmqpRelay relay = new AmqpRelay(bounded, outbox, clock)) {
      assertThatCodeStarts(relay);
      TestBroker.await("the outbox bounded", DEADLINE, () -> outbox.unsentCount() == 5);
      assertThat(outbox.unsent(10))
          .extracting(Outbox.Row::routingKey)
          .containsExactlyElementsOf(SampleEvents.KEYS.subList(3, 8));
    }
  }
}
