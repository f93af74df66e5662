package dev.ajr.core.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * The policy's answer for one anomaly: one of four outcomes, each with the reasons in words a job
 * owner understands. The operation, the scheduler operations (in the order they are carried out)
 * and whether the job stops follow from the outcome, so a plan cannot be built inconsistent: a
 * restart always requeues and releases the same job, a singleton release always releases a
 * successor, a stop always stops the job with a reason, and no action has no actions. Immutable.
 */
public sealed interface DecisionPlan {

  /** Why, in words a job owner understands; never empty. */
  List<String> reasons();

  Operation operation();

  /** The scheduler operations, in the order they are carried out. */
  List<PlannedAction> actions();

  /** True when the job is marked stopped once the actions are done. */
  default boolean stopsJob() {
    return false;
  }

  /** The job's status reason when it is stopped; empty otherwise. */
  default String stopReason() {
    return "";
  }

  /**
   * Requeue the same job id held, keep it off {@code excludedNodes} if any, let it start at once
   * and release it. Slurm resets the begin time of a requeued job when the requeue completes, so
   * the start time is set after the requeue and before the release.
   */
  record Restart(long jobId, List<String> excludedNodes, List<String> reasons)
      implements DecisionPlan {

    public Restart {
      requirePositive(jobId, "the restarted job");
      excludedNodes = List.copyOf(excludedNodes);
      reasons = reasonsOf(reasons);
    }

    @Override
    public Operation operation() {
      return Operation.RESTART;
    }

    @Override
    public List<PlannedAction> actions() {
      List<PlannedAction> actions = new ArrayList<>();
      actions.add(PlannedAction.of(ActionKind.REQUEUE_HOLD, jobId));
      if (!excludedNodes.isEmpty()) {
        actions.add(new PlannedAction(ActionKind.EXCLUDE_NODES, jobId, excludedNodes));
      }
      actions.add(PlannedAction.of(ActionKind.START_NOW, jobId));
      actions.add(PlannedAction.of(ActionKind.RELEASE, jobId));
      return List.copyOf(actions);
    }
  }

  /**
   * A singleton chain moves on: end the failed job if its attempt still runs, keep the held
   * successor off {@code excludedNodes} if any, and release the successor.
   *
   * @param cancelFailedJob whether the failed job's attempt still runs and is ended first
   */
  record ReleaseSuccessor(
      long failedJobId,
      boolean cancelFailedJob,
      long successorJobId,
      List<String> excludedNodes,
      List<String> reasons)
      implements DecisionPlan {

    public ReleaseSuccessor {
      requirePositive(failedJobId, "the failed job");
      requirePositive(successorJobId, "the successor");
      if (successorJobId == failedJobId) {
        throw new IllegalArgumentException("a job is not its own successor: " + failedJobId);
      }
      excludedNodes = List.copyOf(excludedNodes);
      reasons = reasonsOf(reasons);
    }

    @Override
    public Operation operation() {
      return Operation.RELEASE;
    }

    @Override
    public List<PlannedAction> actions() {
      List<PlannedAction> actions = new ArrayList<>();
      if (cancelFailedJob) {
        actions.add(PlannedAction.of(ActionKind.CANCEL, failedJobId));
      }
      if (!excludedNodes.isEmpty()) {
        actions.add(new PlannedAction(ActionKind.EXCLUDE_NODES, successorJobId, excludedNodes));
      }
      actions.add(PlannedAction.of(ActionKind.RELEASE, successorJobId));
      return List.copyOf(actions);
    }
  }

  /**
   * Do not restart: end the failing attempt if it still runs, and mark the job stopped.
   *
   * @param cancelRunningAttempt whether the failing attempt still runs and is ended
   * @param stopReason the job's status reason; never blank
   */
  record Stop(long jobId, boolean cancelRunningAttempt, List<String> reasons, String stopReason)
      implements DecisionPlan {

    public Stop {
      requirePositive(jobId, "the stopped job");
      reasons = reasonsOf(reasons);
      if (stopReason == null || stopReason.isBlank()) {
        throw new IllegalArgumentException("a stop needs a reason for the job's status");
      }
    }

    @Override
    public Operation operation() {
      return Operation.STOP;
    }

    @Override
    public List<PlannedAction> actions() {
      return cancelRunningAttempt ? List.of(PlannedAction.of(ActionKind.CANCEL, jobId)) : List.of();
    }

    @Override
    public boolean stopsJob() {
      return true;
    }
  }

  /** Nothing to do; the reasons say why. */
  record NoAction(List<String> reasons) implements DecisionPlan {

    public NoAction {
      reasons = reasonsOf(reasons);
    }

    static NoAction because(String... reasons) {
      return new NoAction(List.of(reasons));
    }

    @Override
    public Operation operation() {
      return Operation.NONE;
    }

    @Override
    public List<PlannedAction> actions() {
      return List.of();
    }
  }

  private static void requirePositive(long jobId, String what) {
    if (jobId <= 0) {
      throw new IllegalArgumentException(what + " needs a job id above 0, not " + jobId);
    }
  }

  private static List<String> reasonsOf(List<String> reasons) {
    if (reasons.isEmpty()) {
      throw new IllegalArgumentException("a decision needs at least one reason");
    }
    return List.copyOf(reasons);
  }
}
