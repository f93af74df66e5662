package dev.ajr.core.policy;

import java.util.List;

/**
 * The policy's answer for one anomaly: the operation, the reasons in words a job owner understands,
 * and the scheduler operations in the order they are carried out.
 *
 * @param stopsJob true when the job is marked stopped once the actions are done
 * @param stopReason the job's status reason when it is stopped; empty otherwise
 * @param successorJobId the held successor released by a singleton recovery, or 0
 */
public record DecisionPlan(
    Operation operation,
    List<String> reasons,
    List<PlannedAction> actions,
    boolean stopsJob,
    String stopReason,
    long successorJobId) {

  public DecisionPlan {
    reasons = List.copyOf(reasons);
    actions = List.copyOf(actions);
  }

  static DecisionPlan none(String... reasons) {
    return new DecisionPlan(Operation.NONE, List.of(reasons), List.of(), false, "", 0);
  }
}
