package dev.ajr.server.events;

import dev.ajr.core.event.AjrEvent;
import dev.ajr.core.event.EventSink;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link EventSink} for RabbitMQ: writes each event, as its envelope with a new id and its
 * routing key ({@link EventMessages}), to the {@link Outbox} and returns once the row is committed;
 * then wakes the relay that sends it. It never talks to RabbitMQ itself, so a broker that is down
 * or slow never holds up the caller. An event the outbox cannot take (the database is down) is
 * logged as an error and lost to RabbitMQ; the in-process subscribers have it all the same. Never
 * throws. Thread-safe.
 */
public final class OutboxEventSink implements EventSink {

  private static final Logger log = LoggerFactory.getLogger(OutboxEventSink.class);

  private final Outbox outbox;
  private final Clock clock;
  private final Runnable written;
  private volatile Instant lastFailureLogged = Instant.MIN;

  /**
   * @param written called after each row is committed (the relay's {@link AmqpRelay#wake})
   */
  public OutboxEventSink(Outbox outbox, Clock clock, Runnable written) {
    this.outbox = outbox;
    this.clock = clock;
    this.written = written;
  }

  @Override
  public void publish(AjrEvent event) {
    try {
      Instant now = clock.instant();
      outbox.append(EventMessages.of(event, now), now);
      written.run();
    } catch (RuntimeException e) {
      Instant now = Instant.now();
      if (now.isAfter(lastFailureLogged.plusSeconds(60))) {
        lastFailureLogged = now;
        log.error(
            "an event ({}, job {}) could not be written to the outbox and will not reach RabbitMQ:"
                + " {}",
            event.getClass().getSimpleName(),
            event.jobId(),
            e.getMessage());
      }
    }
  }
}
