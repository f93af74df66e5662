package dev.ajr.core.testing;

import dev.ajr.core.event.EventSink;
import dev.ajr.core.node.NodeControl;
import dev.ajr.core.node.NodeIsolator;
import dev.ajr.core.node.NodeSettings;
import dev.ajr.core.node.NodeState;
import dev.ajr.core.node.NodeStore;
import dev.ajr.core.recovery.Fence;
import dev.ajr.core.scheduler.SchedulerException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A scheduler's nodes in memory; records the drains and resumes it is sent, and can refuse the next
 * commands as if slurmctld were down. Synchronized.
 */
public final class MemoryNodeControl implements NodeControl {

  private final Map<String, NodeState> nodes = new LinkedHashMap<>();
  public final List<String> commands = new ArrayList<>();
  public int failNext;

  /** A control with these nodes, all in service. */
  public MemoryNodeControl(String... names) {
    for (String name : names) {
      nodes.put(name, new NodeState(name, "IDLE", false, ""));
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

  private void maybeFail() throws SchedulerException {
    if (failNext > 0) {
      failNext--;
      throw new SchedulerException("Unable to contact slurm controller", true);
    }
  }

  @Override
  public synchronized Optional<NodeState> state(String node) throws SchedulerException {
    maybeFail();
    return Optional.ofNullable(nodes.get(node));
  }

  @Override
  public synchronized void drain(String node, String reason) throws SchedulerException {
    maybeFail();
    commands.add("drain " + node + " " + reason);
    nodes.put(node, new NodeState(node, "IDLE+DRAIN", true, reason));
  }

  @Override
  public synchronized void resume(String node) throws SchedulerException {
    maybeFail();
    commands.add("resume " + node);
    nodes.put(node, new NodeState(node, "IDLE", false, ""));
  }

  @Override
  public synchronized int nodeCount() {
    return nodes.size();
  }

  public synchronized NodeState get(String node) {
    return nodes.get(node);
  }
}
