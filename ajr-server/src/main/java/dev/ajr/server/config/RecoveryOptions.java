package dev.ajr.server.config;

import static dev.ajr.server.config.option.OptionType.duration;
import static dev.ajr.server.config.option.OptionType.list;
import static dev.ajr.server.config.option.OptionType.oneOf;
import static dev.ajr.server.config.option.OptionType.trueFalse;
import static dev.ajr.server.config.option.OptionType.wholeNumber;

import dev.ajr.core.job.RequeueLimits;
import dev.ajr.core.policy.PolicySettings;
import dev.ajr.core.recovery.ExecutorSettings;
import dev.ajr.core.recovery.RecoveryMode;
import dev.ajr.server.config.option.Option;
import dev.ajr.server.config.option.OptionValues;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** {@code recovery.*}: the limits, the policy, the mode and the executor's timing. */
public final class RecoveryOptions {

  public static final Option<Integer> DEFAULT_MAX_REQUEUE_TIMES =
      Option.key("recovery.default-max-requeue-times", wholeNumber(0, 1000))
          .defaultValue(3)
          .essential()
          .withDescription("recoveries a job gets when its directive has no max_requeue_times");

  public static final Option<Integer> MAX_REQUEUE_TIMES_CAP =
      Option.key("recovery.max-requeue-times-cap", wholeNumber(0, 1000))
          .defaultValue(10)
          .essential()
          .withDescription("the most recoveries any job may ask for");

  public static final Option<Integer> MAX_PER_CAUSE =
      Option.key("recovery.max-per-cause", wholeNumber(0, 1000))
          .defaultValue(3)
          .frequent()
          .withDescription(
              "the most recoveries of one job for the same root cause; the next failure of that"
                  + " cause stops the job (0: no such limit)");

  public static final Option<Boolean> RESET_ON_PROGRESS =
      Option.key("recovery.reset-on-progress", trueFalse())
          .defaultValue(true)
          .withDescription(
              "an attempt that saved a newer checkpoint (or, without checkpoint lines, reached a"
                  + " higher iteration) starts the job's budgets again");

  public static final Option<Integer> STOP_WITHOUT_CHECKPOINT =
      Option.key("recovery.stop-without-checkpoint", wholeNumber(0, 1000))
          .defaultValue(3)
          .withDescription(
              "a job that writes checkpoints stops after this many attempts in a row saved no new"
                  + " one (0: off)");

  public static final Option<Integer> EARLY_STOP_ATTEMPTS =
      Option.key("recovery.early-stop-attempts", wholeNumber(0, 1000))
          .defaultValue(3)
          .withDescription(
              "a job stops after this many attempts in a row each died soon after starting (0:"
                  + " off)");

  public static final Option<Duration> EARLY_STOP_WITHIN =
      Option.key("recovery.early-stop-within", duration())
          .defaultValue(Duration.ofMinutes(5))
          .withDescription("an attempt that ends within this long of starting died early");

  public static final Option<Integer> JOB_STORM_LIMIT =
      Option.key("recovery.job-storm-limit", wholeNumber(0, 100_000))
          .defaultValue(5)
          .withDescription(
              "the most restarts of one job within recovery.storm-window; the next failure stops"
                  + " it (0: off)");

  public static final Option<Integer> CLUSTER_STORM_LIMIT =
      Option.key("recovery.cluster-storm-limit", wholeNumber(0, 1_000_000))
          .defaultValue(50)
          .frequent()
          .withDescription(
              "the most restarts by ajr on the cluster within recovery.storm-window; beyond it"
                  + " failed jobs are left as Slurm left them for an operator (0: off)");

  public static final Option<Duration> STORM_WINDOW =
      Option.key("recovery.storm-window", duration())
          .defaultValue(Duration.ofHours(1))
          .withDescription("the window of the restart-storm limits");

  public static final Option<String> MODE =
      Option.key(
              "recovery.mode",
              oneOf(Map.of("act", "act", "observe", "observe"), List.of("act", "observe")))
          .defaultValue("act")
          .essential()
          .withDescription(
              "act: ajr requeues, releases and cancels; observe: it decides and records only");

  public static final Option<List<String>> ACT_PARTITIONS =
      Option.key("recovery.act-partitions", list())
          .defaultValue(List.of())
          .shownAs("(all)")
          .frequent()
          .withDescription("comma-separated partitions ajr acts on; the others are only observed");

  public static final Option<Duration> CASCADE_SETTLE =
      Option.key("recovery.cascade-settle", duration())
          .defaultValue(Duration.ofSeconds(5))
          .withDescription(
              "how long a cascade symptom (an NCCL timeout) waits for its initiating error before"
                  + " ajr decides on it");

  public static final Option<Duration> VERIFY_POLL =
      Option.key("recovery.verify-poll", duration())
          .defaultValue(Duration.ofMillis(200))
          .withDescription("how often Slurm is looked at while verifying an action");

  public static final Option<Duration> VERIFY_TIMEOUT =
      Option.key("recovery.verify-timeout", duration())
          .defaultValue(Duration.ofSeconds(20))
          .withDescription(
              "how long an action may take to show its effect before it is sent again");

  public static final Option<Duration> RESTART_DELAY =
      Option.key("recovery.restart-delay", duration())
          .defaultValue(Duration.ofSeconds(1))
          .withDescription(
              "how soon a requeued job may start again (Slurm's own delay is about two minutes;"
                  + " under 1s Slurm may refuse to launch it on the same node)");

  public static final Option<Duration> ACTION_DEADLINE =
      Option.key("recovery.action-deadline", duration())
          .defaultValue(Duration.ofMinutes(10))
          .withDescription(
              "how long an action is retried (for example while slurmctld is down) before the"
                  + " recovery fails");

  static final List<Option<?>> OPTIONS =
      List.of(
          DEFAULT_MAX_REQUEUE_TIMES,
          MAX_REQUEUE_TIMES_CAP,
          MAX_PER_CAUSE,
          RESET_ON_PROGRESS,
          STOP_WITHOUT_CHECKPOINT,
          EARLY_STOP_ATTEMPTS,
          EARLY_STOP_WITHIN,
          JOB_STORM_LIMIT,
          CLUSTER_STORM_LIMIT,
          STORM_WINDOW,
          MODE,
          ACT_PARTITIONS,
          CASCADE_SETTLE,
          VERIFY_POLL,
          VERIFY_TIMEOUT,
          RESTART_DELAY,
          ACTION_DEADLINE);

  /** The executor's longest wait between two tries of an action; not an option. */
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

  private RecoveryOptions() {}

  static RecoveryConfig from(OptionValues v) {
    int defaultMax = v.get(DEFAULT_MAX_REQUEUE_TIMES);
    int cap = v.get(MAX_REQUEUE_TIMES_CAP);
    if (defaultMax > cap) {
      throw v.invalid(
          "recovery.default-max-requeue-times ("
              + defaultMax
              + ") is above recovery.max-requeue-times-cap ("
              + cap
              + ")");
    }
    return new RecoveryConfig(
        new RequeueLimits(defaultMax, cap),
        new RecoveryMode(v.get(MODE).equals("observe"), new LinkedHashSet<>(v.get(ACT_PARTITIONS))),
        new PolicySettings(
            v.get(MAX_PER_CAUSE),
            v.get(RESET_ON_PROGRESS),
            v.get(STOP_WITHOUT_CHECKPOINT),
            v.get(EARLY_STOP_ATTEMPTS),
            v.get(EARLY_STOP_WITHIN),
            v.get(JOB_STORM_LIMIT),
            v.get(CLUSTER_STORM_LIMIT),
            v.get(STORM_WINDOW)),
        v.get(CASCADE_SETTLE),
        new ExecutorSettings(
            v.get(VERIFY_POLL),
            v.get(VERIFY_TIMEOUT),
            v.get(ACTION_DEADLINE),
            MAX_BACKOFF,
            v.get(RESTART_DELAY)),
        HangOptions.from(v));
  }
}
