package dev.ajr.core.event;

/** Where events go. Implementations must not throw and must not block for long. */
@FunctionalInterface
public interface EventSink {

  void publish(AjrEvent event);

  EventSink NOOP = event -> {};
}
