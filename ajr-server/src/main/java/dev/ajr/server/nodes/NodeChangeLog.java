package dev.ajr.server.nodes;

import dev.ajr.core.event.AjrEvent;
import dev.ajr.core.event.EventSink;
import dev.ajr.core.node.NodeEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes node changes to the server log for operators: drains, held drains, failed drains and
 * returns to service as warnings, the rest (suspect, implicated) as information.
 */
public final class NodeChangeLog implements EventSink {

  private static final Logger log = LoggerFactory.getLogger(NodeChangeLog.class);

  @Override
  public void publish(AjrEvent event) {
    if (event instanceof AjrEvent.NodeChanged changed) {
      NodeEvent e = changed.event();
      switch (e.kind()) {
        case DRAINED, DRAIN_HELD, DRAIN_FAILED, RESUMED ->
            log.warn("node {}: {}: {}", e.node(), e.kind(), e.reason());
        default -> log.info("node {}: {}: {}", e.node(), e.kind(), e.reason());
      }
    }
  }
}
