package dev.ajr.server.config;

import dev.ajr.server.events.AmqpSettings;

/**
 * Where events go besides the in-process bus: RabbitMQ when {@code events.amqp-url} is set.
 *
 * @param amqp the broker and the outbox's limits, or null when events stay in the process
 */
public record EventsConfig(AmqpSettings amqp) {

  public boolean amqpEnabled() {
    return amqp != null;
  }
}
