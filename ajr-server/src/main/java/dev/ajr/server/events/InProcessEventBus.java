package dev.ajr.server.events;

import dev.ajr.core.event.AjrEvent;
import dev.ajr.core.event.EventSink;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded event bus: delivers each event to every listener on the publishing thread. A
 * listener that throws is logged and skipped; the others still get the event. Thread-safe.
 */
public final class InProcessEventBus implements EventSink {

  private static final Logger log = LoggerFactory.getLogger(InProcessEventBus.class);

  private final List<EventSink> listeners = new CopyOnWriteArrayList<>();

  /** Adds a listener; returns a handle that removes it. */
  public AutoCloseable subscribe(EventSink listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  @Override
  public void publish(AjrEvent event) {
    for (EventSink listener : listeners) {
      try {
        listener.publish(event);
      } catch (RuntimeException e) {
        log.warn(
            "an event listener failed on {}: {}", event.getClass().getSimpleName(), e.toString());
      }
    }
  }
}
