package dev.ajr.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ajr.core.store.StoreException;
import dev.ajr.server.events.EventMessages;
import dev.ajr.server.events.Outbox;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The event outbox's contract on every database ajr supports (subclasses per database). */
abstract class OutboxContractTest {

  abstract Database openDatabase();

  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  @TempDir Path dataDir;
  Database db;
  SqlOutbox outbox;

  @BeforeEach
  void open() {
    db = openDatabase();
    outbox = new SqlOutbox(db);
  }

  @AfterEach
  void close() {
    db.close();
  }

  private static EventMessages.Message message(String key, String json) {
    return new EventMessages.Message(UUID.randomUUID(), "job.status.changed", key, json);
  }

  private List<EventMessages.Message> append(int n) {
    List<EventMessages.Message> all = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      EventMessages.Message m = message("job.status.k" + i, "{\"n\":" + i + "}");
      outbox.append(m, T0.plusSeconds(i));
      all.add(m);
    }
    return all;
  }

  @Test
  void rowsComeBackInTheOrderTheyWereWritten() {
    List<EventMessages.Message> written = append(5);

    List<Outbox.Row> rows = outbox.unsent(10);

    assertThat(rows)
        .extracting(Outbox.Row::eventId)
        .containsExactlyElementsOf(written.stream().map(m -> m.id().toString()).toList());
    assertThat(rows.get(2).routingKey()).isEqualTo("job.status.k2");
    assertThat(rows.get(2).json()).isEqualTo("{\"n\":2}");
    assertThat(rows.get(2).type()).isEqualTo("job.status.changed");
    assertThat(rows.get(2).createdAt()).isEqualTo(T0.plusSeconds(2));
    assertThat(outbox.unsent(2)).hasSize(2);
    assertThat(outbox.unsentCount()).isEqualTo(5);
  }

  @Test
  void sentRowsAreNotSentAgainAndArePrunedLater() {
    append(4);
    List<Outbox.Row> first = outbox.unsent(2);

    outbox.markSent(first.stream().map(Outbox.Row::seq).toList(), T0.plusSeconds(10));

    assertThat(outbox.unsent(10))
        .extracting(Outbox.Row::routingKey)
        .containsExactly("job.status.k2", "job.status.k3");
    assertThat(outbox.unsentCount()).isEqualTo(2);
    assertThat(outbox.pruneSent(T0.plusSeconds(10))).isZero();
    assertThat(outbox.pruneSent(T0.plusSeconds(11))).isEqualTo(2);
    assertThat(outbox.unsentCount()).isEqualTo(2);
  }

  @Test
  void theOldestUnsentRowsAreDroppedBeyondTheBound() {
    append(6);
    outbox.markSent(List.of(outbox.unsent(1).get(0).seq()), T0);

    assertThat(outbox.dropOldestUnsent(2)).isEqualTo(3);

    assertThat(outbox.unsent(10))
        .extracting(Outbox.Row::routingKey)
        .containsExactly("job.status.k4", "job.status.k5");
    assertThat(outbox.dropOldestUnsent(2)).isZero();
    assertThat(outbox.pruneSent(T0.plusSeconds(1))).as("the sent row is kept").isEqualTo(1);
  }

  @Test
  void aLargeEventFitsWhole() {
    String line = "x".repeat(70_000) + " \u00e9\u4e2d\ud83d\ude80";
    outbox.append(message("anomaly.detected.crash_segfault", "{\"line\":\"" + line + "\"}"), T0);

    assertThat(outbox.unsent(1).get(0).json()).contains(line);
  }

  @Test
  void anEventIdIsStoredOnce() {
    EventMessages.Message m = message("job.discovered", "{}");
    outbox.append(m, T0);

    assertThatThrownBy(() -> outbox.append(m, T0)).isInstanceOf(StoreException.class);
    assertThat(outbox.unsentCount()).isEqualTo(1);
  }

  @Test
  void manyRowsAreMarkedSentInOneCall() {
    append(1_200);

    outbox.markSent(outbox.unsent(1_200).stream().map(Outbox.Row::seq).toList(), T0);

    assertThat(outbox.unsentCount()).isZero();
  }
}
