package dev.ajr.server.config;

import dev.ajr.server.ingest.IngestLimits;
import dev.ajr.server.ingest.StreamLabels;
import java.nio.file.Path;

/**
 * Where job output and kernel lines come from.
 *
 * @param followFiles whether the server reads job output on the shared filesystem itself; off when
 *     node agents (or a shipper) send it, so no line is read twice
 * @param agentTokenFile the file holding the token node agents send; created on first start when
 *     missing, readable by its owner only
 * @param labels how Loki stream labels (pushed or read) name the job, node and kernel log
 * @param limits what log-sending requests may hold and send before they are answered 429
 */
public record IngestConfig(
    boolean followFiles, Path agentTokenFile, StreamLabels labels, IngestLimits limits) {}
