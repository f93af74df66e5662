package dev.ajr.core.testing;

import dev.ajr.core.node.NodeEvent;
import dev.ajr.core.node.NodeHealth;
import dev.ajr.core.node.NodeRecord;
import dev.ajr.core.node.NodeStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Node health and history in memory. */
public final class MemoryNodeStore implements NodeStore {

  public final Map<String, NodeRecord> nodes = new LinkedHashMap<>();
  public final List<NodeEvent> events = new ArrayList<>();

  @Override
  public synchronized Optional<NodeRecord> node(String name) {
    return Optional.ofNullable(nodes.get(name));
  }

  @Override
  public synchronized List<NodeRecord> nodes() {
    return List.copyOf(nodes.values());
  }

  @Override
  public synchronized void saveNode(NodeRecord node) {
    nodes.put(node.name(), node);
  }

  @Override
  public synchronized NodeEvent addEvent(NodeEvent e) {
    NodeEvent stored =
        new NodeEvent(
            events.size() + 1,
            e.node(),
            e.at(),
            e.kind(),
            e.reason(),
            e.jobId(),
            e.anomalyId(),
            e.actor());
    events.add(stored);
    return stored;
  }

  @Override
  public synchronized List<NodeEvent> events(String node, int limit) {
    return events.stream()
        .filter(e -> e.node().equals(node))
        .sorted(Comparator.comparingLong(NodeEvent::id).reversed())
        .limit(limit)
        .toList();
  }

  @Override
  public synchronized List<Long> implicatingJobs(String node, Instant since) {
    return events.stream()
        .filter(e ->
            e.node().equals(node)
                && e.kind() == NodeEvent.Kind.IMPLICATED
                && e.jobId() != 0
                && !e.at().isBefore(since))
        .map(NodeEvent::jobId)
        .distinct()
        .toList();
  }

  @Override
  public synchronized int drainsSince(Instant since) {
    return (int)
        events.stream()
            .filter(e -> e.kind() == NodeEvent.Kind.DRAIN_PLANNED && !e.at().isBefore(since))
            .count();
  }

  @Override
  public synchronized long lastAnomalyId() {
    return events.stream().mapToLong(NodeEvent::anomalyId).max().orElse(0);
  }

  @Override
  public synchronized List<NodeRecord> draining() {
    return nodes.values().stream().filter(n -> n.health() == NodeHealth.DRAINING).toList();
  }
}
