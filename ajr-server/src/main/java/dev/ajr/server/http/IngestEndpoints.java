package dev.ajr.server.http;

import dev.ajr.server.ingest.AgentIngest;
import dev.ajr.server.ingest.IngestAdmission;
import dev.ajr.server.ingest.IngestLimits;
import dev.ajr.server.ingest.LineRouter;
import dev.ajr.server.ingest.LokiLines;
import java.time.Clock;

/**
 * What the log-sending paths of the API hand their lines to.
 *
 * @param agents takes in what node agents send
 * @param router tells agents which jobs run on their node
 * @param loki takes in what shippers push in Loki's format
 * @param maxLineBytes pushed lines longer than this are cut
 * @param admission bounds what the requests hold and send; beyond it they are answered 429
 */
public record IngestEndpoints(
    AgentIngest agents,
    LineRouter router,
    LokiLines loki,
    int maxLineBytes,
    IngestAdmission admission) {

  /** With the default limits ({@link IngestLimits#DEFAULTS}) on the system clock. */
  public IngestEndpoints(AgentIngest agents, LineRouter router, LokiLines loki, int maxLineBytes) {
    this(
        agents,
        router,
        loki,
        maxLineBytes,
        new IngestAdmission(IngestLimits.DEFAULTS, Clock.systemUTC()));
  }
}
