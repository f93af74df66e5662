package dev.ajr.server.http;

import dev.ajr.core.node.NodeIsolator;
import dev.ajr.core.node.NodeStore;

/** What the node paths of the API read and act through. */
public record NodeEndpoints(NodeStore store, NodeIsolator isolator) {}
