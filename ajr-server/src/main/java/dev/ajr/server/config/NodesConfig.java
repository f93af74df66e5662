package dev.ajr.server.config;

import dev.ajr.core.node.NodeSettings;
import java.net.URI;

/**
 * When ajr drains nodes, and whom it tells.
 *
 * @param repairWebhook the hardware-recovery service told about drained nodes, or null
 */
public record NodesConfig(NodeSettings settings, URI repairWebhook) {}
