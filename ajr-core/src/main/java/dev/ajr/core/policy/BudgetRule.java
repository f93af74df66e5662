package dev.ajr.core.policy;

import java.util.Optional;

/**
 * The rules that keep a failing job from being restarted, declared in the order the policy
 * evaluates them (rules 5 to 11 of {@link RecoveryPolicy}): the first that answers decides. Each is
 * a pure function of its {@link BudgetContext}; a limit of 0 in the settings turns its rule off.
 * The reasons are sentences a job owner reads, and the web UI and the tests compare them: keep them
 * word for word.
 */
enum BudgetRule {

  /**
   * Preemption and node failure (rules with {@code charged: false}) do not use the job's
   * recoveries; they restart it while its recoveries of every kind are below the administrator's
   * cap.
   */
  UNCHARGED_CAP {
    @Override
    Optional<DecisionPlan> check(BudgetContext c) {
      BudgetHistory h = c.history();
      int cap = c.input().limits().cap();
      if (c.charged() || h.total < cap) {
        return Optional.empty();
      }
      return Optional.of(
          c.stop(
              "no more requeues: restarted "
                  + h.total
                  + " times"
                  + h.since()
                  + "; the administrator's cap of "
                  + cap
                  + " applies to preemption and node failure too",
              "stopped: restarted " + h.total + " times, the administrator's cap"));
    }
  },

  /** A failure of the job's own stops it once its charged recoveries reach its budget. */
  TOTAL_BUDGET {
    @Override
    Optional<DecisionPlan> check(BudgetContext c) {
      BudgetHistory h = c.history();
      if (!c.charged() || h.charged < c.allowed()) {
        return Optional.empty();
      }
      return Optional.of(
          c.stop(
              "no more requeues: the limit of "
                  + c.allowed()
                  + " is reached ("
                  + h.charged
                  + " used"
                  + h.since()
                  + c.budgetWords()
                  + ")",
              "stopped: the requeue limit of "
                  + c.allowed()
                  + " is reached after "
                  + c.input().anomaly().type()
                  + " in attempt "
                  + c.input().attempt().index()));
    }
  },

  /**
   * A failure stops the job once it has had {@code recovery.max-per-cause} charged recoveries for
   * the same root cause.
   */
  BUDGET_PER_CAUSE {
    @Override
    Optional<DecisionPlan> check(BudgetContext c) {
      BudgetHistory h = c.history();
      int most = c.settings().maxPerCause();
      if (!c.charged() || most == 0 || h.sameCause < most) {
        return Optional.empty();
      }
      String cause = String.valueOf(c.input().anomaly().cause());
      return Optional.of(
          c.stop(
              "no more requeues for "
                  + cause
                  + ": "
                  + recoveries(h.sameCause)
                  + " for this cause already"
                  + h.since()
                  + ", the most ajr makes for one cause is "
                  + most,
              "stopped: "
                  + cause
                  + " again after "
                  + recoveries(h.sameCause)
                  + " for it (at most "
                  + most
                  + " per cause)"));
    }
  },

  /**
   * A job that writes checkpoints stops when {@code recovery.stop-without-checkpoint} attempts in a
   * row saved no new one.
   */
  NO_NEW_CHECKPOINT {
    @Override
    Optional<DecisionPlan> check(BudgetContext c) {
      BudgetHistory h = c.history();
      int limit = c.settings().stopWithoutCheckpoint();
      if (!c.charged() || !h.writesCheckpoints || limit == 0 || h.withoutCheckpoint < limit) {
        return Optional.empty();
      }
      String words =
          h.withoutCheckpoint
              + " attempts in a row saved no checkpoint; a restart would not advance the job";
      return Optional.of(c.stop(words + h.lastCheckpointWords(), "stopped: " + words));
    }
  },

  /**
   * The job stops when {@code recovery.early-stop-attempts} attempts in a row each ended within
   * {@code recovery.early-stop-within} of starting.
   */
  EARLY_DEATHS {
    @Override
    Optional<DecisionPlan> check(BudgetContext c) {
      BudgetHistory h = c.history();
      int limit = c.settings().earlyStopAttempts();
      if (!c.charged() || limit == 0 || h.early < limit) {
        return Optional.empty();
      }
      String words =
          "each of the last "
              + h.early
              + " attempts died within "
              + RecoveryPolicy.words(c.settings().earlyStopWithin())
              + " of starting";
      return Optional.of(c.stop(words + "; a restart would die the same way", "stopped: " + words));
    }
  },

  /**
   * A job ajr restarted {@code recovery.job-storm-limit} times within {@code recovery.storm-window}
   * is stopped, whatever the causes.
   */
  JOB_RESTART_STORM {
    @Override
    Optional<DecisionPlan> check(BudgetContext c) {
      BudgetHistory h = c.history();
      int limit = c.settings().jobStormLimit();
      if (limit == 0 || h.inWindow < limit) {
        return Optional.empty();
      }
      String words =
          "ajr restarted this job "
              + h.inWindow
              + " times within "
              + RecoveryPolicy.words(c.settings().stormWindow())
              + ", the most it does";
      return Optional.of(
          c.stop(
              words + "; another restart would make a restart storm, so the job is stopped",
              "stopped: " + words));
    }
  },

  /**
   * When ajr restarted {@code recovery.cluster-storm-limit} jobs on the cluster within the storm
   * window, this one is not restarted: it is left as Slurm left it and the reason asks an operator
   * to look.
   */
  CLUSTER_RESTART_STORM {
    @Override
    Optional<DecisionPlan> check(BudgetContext c) {
      int limit = c.settings().clusterStormLimit();
      int restarts = c.input().clusterRestartsInWindow();
      if (limit == 0 || restarts < limit) {
        return Optional.empty();
      }
      return Optional.of(
          c.leaveAlone(
              "the cluster is in a restart storm: ajr restarted "
                  + restarts
                  + " jobs within "
                  + RecoveryPolicy.words(c.settings().stormWindow())
                  + " (at most "
                  + limit
                  + "); this job is not restarted and is left as Slurm left it; an operator should"
                  + " look at the cluster"));
    }
  };

  /** The rule's answer, or empty when it lets the job be restarted. */
  abstract Optional<DecisionPlan> check(BudgetContext c);

  private static String recoveries(int n) {
    return n + (n == 1 ? " recovery" : " recoveries");
  }
}
