package dev.ajr.server.events;

import dev.ajr.core.event.AjrEvent;
import dev.ajr.core.event.EventSink;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Combinations of sinks. */
public final class EventSinks {

  private static final Logger log = LoggerFactory.getLogger(EventSinks.class);

  private EventSinks() {}

  /**
   * A sink that hands each event to every sink in turn, in the order given, on the publishing
   * thread. A sink that throws is logged and does not keep the event from the next; the combined
   * sink never throws.
   */
  public static EventSink inOrder(EventSink... sinks) {
    List<EventSink> all = List.of(sinks);
    if (all.size() == 1) {
      return all.get(0);
    }
    return (AjrEvent event) -> {
      for (EventSink sink : all) {
        try {
          sink.publish(event);
        } catch (RuntimeException e) {
          log.warn(
              "an event sink failed on {}: {}", event.getClass().getSimpleName(), e.toString());
        }
      }
    };
  }
}
