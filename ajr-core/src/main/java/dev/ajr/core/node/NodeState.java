package dev.ajr.core.node;

/**
 * A node as the scheduler shows it.
 *
 * @param state the scheduler's words, for example {@code IDLE+DRAIN}
 * @param drained true when the node takes no new work (drained or draining)
 * @param reason the scheduler's reason for the drain, empty when none
 */
public record NodeState(String name, String state, boolean drained, String reason) {}
