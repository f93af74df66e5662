package dev.ajr.core.node;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where ajr keeps node health and history. Implementations are thread-safe. */
public interface NodeStore {

  /** As {@link dev.ajr.core.store.RecoveryStore#atomically}: writes and events together. */
  default void atomically(Runnable work) {
    work.run();
  }

  Optional<NodeRecord> node(String name);

  List<NodeRecord> nodes();

  void saveNode(NodeRecord node);

  NodeEvent addEvent(NodeEvent event);

  /** The node's history, newest first, at most {@code limit}. */
  List<NodeEvent> events(String node, int limit);

  /** The distinct jobs whose failures implicated the node since {@code since}. */
  List<Long> implicatingJobs(String node, Instant since);

  /** How many nodes ajr decided to drain since {@code since} (the blast radius). */
  int drainsSince(Instant since);

  /** The newest anomaly any node event names, or 0: where a new leader resumes looking. */
  long lastAnomalyId();

  /** Nodes whose drain was decided but not yet verified (resumed after a restart of ajr). */
  List<NodeRecord> draining();
}
