package dev.ajr.server.events;

import java.time.Instant;
import java.util.List;

/**
 * The durable queue of events waiting for RabbitMQ (the {@code outbox} table). Rows are appended by
 * {@link OutboxEventSink}, read in order and marked sent by {@link AmqpRelay}, and pruned. Every
 * method is one short transaction; implementations are thread-safe.
 */
public interface Outbox {

  /**
   * One stored event.
   *
   * @param seq its place in the outbox: rows are sent in this order
   * @param eventId the event's id, also in the JSON and the message-id property
   */
  record Row(
      long seq, String eventId, String type, String routingKey, String json, Instant createdAt) {}

  /** Writes the message durably; returns when it is committed. */
  void append(EventMessages.Message message, Instant at);

  /** The oldest unsent rows, in order, at most {@code limit}. */
  List<Row> unsent(int limit);

  /** Marks the rows sent (after RabbitMQ confirmed them). */
  void markSent(List<Long> seqs, Instant at);

  /** Deletes rows sent before {@code before}; returns how many. */
  int pruneSent(Instant before);

  /** Deletes the oldest unsent rows beyond the newest {@code keep}; returns how many. */
  int dropOldestUnsent(long keep);

  /** How many rows wait to be sent. */
  long unsentCount();
}
