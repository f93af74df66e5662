package dev.ajr.core.node;

import dev.ajr.core.scheduler.SchedulerException;
import java.util.Optional;

/**
 * The port to the scheduler's node operations. Commands are requests: the caller verifies them with
 * a fresh {@link #state} look. Implementations are thread-safe.
 */
public interface NodeControl {

  /** A fresh look at the node, or empty when the scheduler does not know it. */
  Optional<NodeState> state(String node) throws SchedulerException;

  /** Lets the node finish its work and take no more ({@code State=DRAIN}), with the reason. */
  void drain(String node, String reason) throws SchedulerException;

  /** Puts a drained node back in service ({@code State=RESUME}). */
  void resume(String node) throws SchedulerException;

  /** How many nodes the cluster has, for the share of nodes ajr may drain. */
  int nodeCount() throws SchedulerException;
}
