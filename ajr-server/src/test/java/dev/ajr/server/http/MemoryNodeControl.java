package dev.ajr.server.http;

import dev.ajr.core.node.NodeControl;
import dev.ajr.core.node.NodeState;
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
