package dev.ajr.server.http;

import dev.ajr.server.ingest.AgentIngest;
import dev.ajr.server.ingest.LineRouter;
import dev.ajr.server.ingest.LokiLines;

/**
 * What the log-sending paths of the API hand their lines to.
 *
 * @param agents takes in what node agents send
 * @param router tells agents which jobs run on their node
 * @param loki takes in what shippers push in Loki's format
 * @param maxLineBytes pushed lines longer than this are cut
 */
public record IngestEndpoints(
    AgentIngest agents, LineRouter router, LokiLines loki, int maxLineBytes) {}
