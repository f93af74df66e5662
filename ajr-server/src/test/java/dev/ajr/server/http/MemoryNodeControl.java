package dev.ajr.server.http;

import dev.ajr.core.event.EventSink;
import dev.ajr.core.node.NodeControl;
import dev.ajr.core.node.NodeIsolator;
import dev.ajr.core.node.NodeSettings;
import dev.ajr.core.node.NodeState;
import dev.ajr.core.node.NodeStore;
import dev.ajr.core.recovery.Fence;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Slurm's nodes in memory, for tests of the node pages and paths. */
public final class MemoryNodeControl implements NodeControl {

  private final Map<String, NodeState> state = new HashMap<>();

  /** A control with these nodes, all in service. */
  public MemoryNodeControl(String... nodes) {
    for (String n : nodes) {
      resume(n);
    }
  }

  /**
   * A node isolator acting on these nodes with the default settings: no repair webhook, no follower
   * role, no fencing; drains are told to {@code events}.
   */
  public NodeIsolator isolator(NodeStore store, EventSink events, Clock clock) {
    return new NodeIsolator(
        store,
        this,
        events,
        clock,
        d -> {},
        NodeSettings.DEFAULTS,
        () -> false,
        null,
        Duration.ofSeconds(5),
        Fence.NONE);
  }

  @Override
  public synchronized Optional<NodeState> state(String node) {
    return Optional.ofNullable(state.get(node));
  }

  @Override
  public synchronized void drain(String node, String reason) {
    state.put(node, new NodeState(node, "IDLE+DRAIN", true, reason));
  }

  @Override
  public synchronized void resume(String node) {
    state.put(node, new NodeState(node, "IDLE", false, ""));
  }

  @Override
  public synchronized int nodeCount() {
    return state.size();
  }
}
