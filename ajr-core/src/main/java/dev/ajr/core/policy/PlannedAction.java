package dev.ajr.core.policy;

import java.util.List;

/**
 * A scheduler operation a decision will carry out.
 *
 * @param targetJobId the job the operation is applied to (the successor for a singleton release)
 * @param nodes the nodes, for {@link ActionKind#EXCLUDE_NODES}; empty otherwise
 */
public record PlannedAction(ActionKind kind, long targetJobId, List<String> nodes) {

  public PlannedAction {
    nodes = List.copyOf(nodes);
  }

  public static PlannedAction of(ActionKind kind, long targetJobId) {
    return new PlannedAction(kind, targetJobId, List.of());
  }
}
