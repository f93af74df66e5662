package dev.ajr.core.policy;

import static dev.ajr.core.policy.ActionKind.CANCEL;
import static dev.ajr.core.policy.ActionKind.REQUEUE_HOLD;
import static dev.ajr.core.policy.ActionKind.START_NOW;
import static dev.ajr.core.policy.Operation.NONE;
import static dev.ajr.core.policy.Operation.RELEASE;
import static dev.ajr.core.policy.Operation.RESTART;
import static dev.ajr.core.policy.Operation.STOP;
import static dev.ajr.core.testing.Fixtures.T0;
import static dev.ajr.core.testing.Fixtures.anomaly;
import static dev.ajr.core.testing.Fixtures.attempt;
import static dev.ajr.core.testing.Fixtures.job;
import static dev.ajr.core.testing.Fixtures.requeue;
import static dev.ajr.core.testing.Fixtures.requeueWithoutMax;
import static dev.ajr.core.testing.Fixtures.singleton;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.core.detect.Cause;
import dev.ajr.core.job.AttemptState;
import dev.ajr.core.job.DirectiveResult;
import dev.ajr.core.job.JobStatus;
import dev.ajr.core.job.RequeueLimits;
import dev.ajr.core.progress.AttemptProgress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RecoveryPolicyTest {

  private static final long JOB = 42;
  private static final long SUCCESSOR = 43;
  private static final RequeueLimits LIMITS = new RequeueLimits(1, 3);

  private final RecoveryPolicy policy = new RecoveryPolicy();

  /**
   * One row of the table, built by name: the situation (by default attempt 0 of a job with {@code
   * requeue(1)} crashed with a segfault while running, no held successor, {@link #LIMITS}) and what
   * the policy must answer.
   */
  static final class Row {
    private final String name;
    private DirectiveResult directive = requeue(1);
    private AttemptState attemptState = AttemptState.RUNNING;
    private boolean current = true;
    private Cause cause = Cause.CRASH_SEGFAULT;
    private int recoveriesSoFar;
    private OptionalLong successor = OptionalLong.empty();
    private RequeueLimits limits = LIMITS;
    private Operation operation;
    private List<PlannedAction> actions = List.of();
    private boolean stopsJob;
    private String reasonMentions = "";
    private String stopReasonMentions = "";

    private Row(String name) {
      this.name = name;
    }

    Row directive(DirectiveResult value) {
      directive = value;
      return this;
    }

    Row attemptState(AttemptState value) {
      attemptState = value;
      return this;
    }

    /** A later attempt of the job exists. */
    Row superseded() {
      current = false;
      return this;
    }

    Row cause(Cause value) {
      cause = value;
      return this;
    }

    /** The failed attempt's index: as many crashes before it, each restarted by ajr. */
    Row recoveriesSoFar(int value) {
      recoveriesSoFar = value;
      return this;
    }

    Row heldSuccessor(long jobId) {
      successor = OptionalLong.of(jobId);
      return this;
    }

    Row limits(RequeueLimits value) {
      limits = value;
      return this;
    }

    Row expect(Operation value, List<PlannedAction> planned) {
      operation = value;
      actions = planned;
      return this;
    }

    Row expect(Operation value, PlannedAction... planned) {
      return expect(value, List.of(planned));
    }

    Row stopsTheJob() {
      stopsJob = true;
      return this;
    }

    Row reasonsMention(String text) {
      reasonMentions = text;
      return this;
    }

    Row stopReasonMentions(String text) {
      stopReasonMentions = text;
      return this;
    }

    @Override
    public String toString() {
      return name;
    }

    PolicyInput input() {
      return RecoveryPolicyTest.input(
          job(JOB, directive, JobStatus.RUNNING),
          attempt(JOB, recoveriesSoFar, attemptState),
          current,
          anomaly(JOB, recoveriesSoFar, cause),
          restarts(recoveriesSoFar, 0),
          successor,
          limits);
    }
  }

  static Row row(String name) {
    return new Row(name);
  }

  private static final Instant NOW = T0.plus(Duration.ofDays(3));

  /**
   * A history of earlier attempts the policy counts but judges by no other rule: {@code charged}
   * crashes then {@code uncharged} preemptions, each restarted by ajr a day ago, times unknown.
   */
  static JobHistory restarts(int charged, int uncharged) {
    List<JobHistory.Run> runs = new ArrayList<>();
    for (int i = 0; i < charged + uncharged; i++) {
      boolean isCharged = i < charged;
      runs.add(
          new JobHistory.Run(
              JOB,
              i,
              null,
              null,
              AttemptProgress.none(i),
              NOW.minus(Duration.ofDays(1)),
              isCharged ? Cause.CRASH_SEGFAULT : Cause.SLURM_SCHEDULER,
              isCharged));
    }
    return new JobHistory(runs, AttemptProgress.none(charged + uncharged));
  }

  static PolicyInput input(
      dev.ajr.core.job.Job job,
      dev.ajr.core.job.Attempt attempt,
      boolean current,
      dev.ajr.core.detect.Anomaly anomaly,
      JobHistory history,
      OptionalLong successor,
      RequeueLimits limits) {
    return new PolicyInput(
        job,
        attempt,
        current,
        anomaly,
        successor,
        limits,
        history,
        NOW,
        0,
        PolicySettings.DEFAULTS);
  }

  private static PlannedAction on(ActionKind kind, long jobId) {
    return PlannedAction.of(kind, jobId);
  }

  private static final List<PlannedAction> RESTART_ACTIONS =
      List.of(on(REQUEUE_HOLD, JOB), on(START_NOW, JOB), on(ActionKind.RELEASE, JOB));

  static Stream<Row> table() {
    return Stream.of(
        row("requeuesHeldWhileRecoveriesLeft")
            .expect(RESTART, RESTART_ACTIONS)
            .reasonsMention("recovery 1 of 1"),
        row("stopsAndCancelsRunningAttemptAtLimit")
            .recoveriesSoFar(1)
            .expect(STOP, on(CANCEL, JOB))
            .stopsTheJob()
            .reasonsMention("limit of 1 is reached")
            .stopReasonMentions("requeue limit of 1"),
        row("stopsWithoutActionsWhenAttemptAlreadyEndedAtLimit")
            .attemptState(AttemptState.FAILED)
            .recoveriesSoFar(1)
            .expect(STOP)
            .stopsTheJob()
            .reasonsMention("limit of 1 is reached")
            .stopReasonMentions("requeue limit of 1"),
        row("ignoresSupersededAttempt").superseded().expect(NONE).reasonsMention("superseded"),
        row("ignoresCompletedAttempt")
            .attemptState(AttemptState.COMPLETED)
            .expect(NONE)
            .reasonsMention("completed successfully"),
        row("neverUndoesCancel")
            .attemptState(AttemptState.CANCELLED)
            .expect(NONE)
            .reasonsMention("cancelled"),
        row("leavesJobWithoutDirectiveAlone")
            .directive(DirectiveResult.ABSENT)
            .expect(NONE)
            .reasonsMention("did not opt in"),
        row("leavesJobWithInvalidDirectiveAlone")
            .directive(new DirectiveResult.Invalid("unknown auto_resume_mode \"bogus\""))
            .expect(NONE)
            .reasonsMention("unknown auto_resume_mode \"bogus\""),
        row("stopsOnGpuOutOfMemory")
            .cause(Cause.OOM_GPU)
            .expect(STOP, on(CANCEL, JOB))
            .stopsTheJob()
            .reasonsMention("would happen again")
            .stopReasonMentions("OOM_GPU"),
        row("stopsOnUserErrorWithoutActionsWhenAlreadyFailed")
            .directive(requeue(3))
            .attemptState(AttemptState.FAILED)
            .cause(Cause.PYTHON_USER_ERROR)
            .expect(STOP)
            .stopsTheJob()
            .reasonsMention("would happen again")
            .stopReasonMentions("PYTHON_USER_ERROR"),
        row("releasesHeldSuccessorOfSingletonChain")
            .directive(singleton(2))
            .heldSuccessor(SUCCESSOR)
            .expect(RELEASE, on(CANCEL, JOB), on(ActionKind.RELEASE, SUCCESSOR))
            .reasonsMention("release its held successor 43"),
        row("releasesSuccessorOnlyWhenSingletonAttemptAlreadyEnded")
            .directive(singleton(2))
            .attemptState(AttemptState.FAILED)
            .heldSuccessor(SUCCESSOR)
            .expect(RELEASE, on(ActionKind.RELEASE, SUCCESSOR))
            .reasonsMention("recovery 1 of 2"),
        row("stopsSingletonWithoutHeldSuccessor")
            .directive(singleton(2))
            .expect(STOP, on(CANCEL, JOB))
            .stopsTheJob()
            .reasonsMention("no held successor")
            .stopReasonMentions("sbatch --hold --dependency=singleton"),
        row("stopsSingletonChainAtLimit")
            .directive(singleton(1))
            .recoveriesSoFar(1)
            .heldSuccessor(SUCCESSOR)
            .expect(STOP, on(CANCEL, JOB))
            .stopsTheJob()
            .reasonsMention("limit of 1 is reached")
            .stopReasonMentions("requeue limit of 1"),
        row("capsRequestAboveAdministratorCap")
            .directive(requeue(10))
            .recoveriesSoFar(2)
            .expect(RESTART, RESTART_ACTIONS)
            .reasonsMention("the job asked for 10, the administrator's cap is 3"),
        row("stopsAtCapEvenWhenJobAskedForMore")
            .directive(requeue(10))
            .recoveriesSoFar(3)
            .expect(STOP, on(CANCEL, JOB))
            .stopsTheJob()
            .reasonsMention("limit of 3 is reached")
            .stopReasonMentions("requeue limit of 3"),
        row("usesAdministratorDefaultWithoutMax")
            .directive(requeueWithoutMax())
            .recoveriesSoFar(1)
            .limits(new RequeueLimits(2, 5))
            .expect(RESTART, RESTART_ACTIONS)
            .reasonsMention("administrator's default is 2"),
        row("stopsAtAdministratorDefaultWithoutMax")
            .directive(requeueWithoutMax())
            .recoveriesSoFar(2)
            .limits(new RequeueLimits(2, 5))
            .expect(STOP, on(CANCEL, JOB))
            .stopsTheJob()
            .reasonsMention("limit of 2 is reached")
            .stopReasonMentions("requeue limit of 2"),
        row("stopsWhenJobAsksForNoRequeues")
            .directive(requeue(0))
            .expect(STOP, on(CANCEL, JOB))
            .stopsTheJob()
            .reasonsMention("limit of 0 is reached"));
  }

  /** The successor a plan releases, or 0 when it releases none. */
  private static long successorOf(DecisionPlan plan) {
    return plan instanceof DecisionPlan.ReleaseSuccessor release ? release.successorJobId() : 0;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void decides(Row row) {
    DecisionPlan plan = policy.decide(row.input());

    assertThat(plan.operation()).as("operation").isEqualTo(row.operation);
    assertThat(plan.actions()).as("actions").isEqualTo(row.actions);
    assertThat(plan.stopsJob()).as("stopsJob").isEqualTo(row.stopsJob);
    assertThat(String.join(" | ", plan.reasons())).as("reasons").contains(row.reasonMentions);
    assertThat(plan.stopReason()).as("stopReason").contains(row.stopReasonMentions);
    if (!row.stopsJob) {
      assertThat(plan.stopReason()).isEmpty();
    }
    assertThat(successorOf(plan))
        .as("successor")
        .isEqualTo(row.operation == Operation.RELEASE ? SUCCESSOR : 0);
  }

  @Test
  void firstReasonQuotesTheAnomalyLine() {
    DecisionPlan plan =
        policy.decide(
            input(
                job(JOB, requeue(1), JobStatus.RUNNING),
                attempt(JOB, 0, AttemptState.RUNNING),
                true,
                anomaly(JOB, 0, Cause.CRASH_SEGFAULT),
                JobHistory.none(0),
                OptionalLong.empty(),
                LIMITS));

    assertThat(plan.reasons().get(0))
        .contains("CRASH")
        .contains("attempt 0")
        .contains("segmentation fault: artificial segfault");
  }

  private PolicyInput withAction(
      dev.ajr.core.detect.RecoveryAction action, Cause cause, String node, DirectiveResult d) {
    var a = anomaly(JOB, 0, cause, action);
    var withNode =
        new dev.ajr.core.detect.Anomaly(
            a.id(),
            a.jobId(),
            a.attemptIndex(),
            a.type(),
            a.cause(),
            a.ruleId(),
            a.action(),
            a.line(),
            a.source(),
            a.lineNumber(),
            node,
            a.lineWrittenAt(),
            a.lineReadAt(),
            a.detectedAt(),
            a.evidence(),
            a.charged());
    return input(
        job(JOB, d, JobStatus.RUNNING),
        attempt(JOB, 0, AttemptState.RUNNING),
        true,
        withNode,
        JobHistory.none(0),
        OptionalLong.of(SUCCESSOR),
        LIMITS);
  }

  @Test
  void aRuleThatSaysStopStopsTheJobWhateverItsCause() {
    DecisionPlan plan =
        policy.decide(
            withAction(
                dev.ajr.core.detect.RecoveryAction.STOP, Cause.STORAGE_IO, "node1", requeue(3)));

    assertThat(plan.operation()).isEqualTo(Operation.STOP);
    assertThat(plan.actions()).containsExactly(on(CANCEL, JOB));
    assertThat(plan.stopReason()).contains("STORAGE_IO");
  }

  @Test
  void aFailurePointingAtANodeKeepsTheNextAttemptOffIt() {
    DecisionPlan plan =
        policy.decide(
            withAction(
                dev.ajr.core.detect.RecoveryAction.REQUEUE_EXCLUDE_NODE,
                Cause.GPU_HARDWARE,
                "node3",
                requeue(1)));

    assertThat(plan.operation()).isEqualTo(Operation.RESTART);
    assertThat(plan.actions())
        .containsExactly(
            on(REQUEUE_HOLD, JOB),
            new PlannedAction(ActionKind.EXCLUDE_NODES, JOB, List.of("node3")),
            on(START_NOW, JOB),
            on(ActionKind.RELEASE, JOB));
    assertThat(String.join(" ", plan.reasons())).contains("will not run on node3");
  }

  @Test
  void aSingletonSuccessorIsKeptOffTheNodeBeforeItIsReleased() {
    DecisionPlan plan =
        policy.decide(
            withAction(
                dev.ajr.core.detect.RecoveryAction.REQUEUE_EXCLUDE_NODE,
                Cause.NETWORK_INFINIBAND,
                "node2",
                singleton(1)));

    assertThat(plan.actions())
        .containsExactly(
            on(CANCEL, JOB),
            new PlannedAction(ActionKind.EXCLUDE_NODES, SUCCESSOR, List.of("node2")),
            on(ActionKind.RELEASE, SUCCESSOR));
  }

  @Test
  void aFailurePointingAtAnUnknownNodeRestartsWithoutExclusionAndSaysSo() {
    // The node is unknown only when the attempt ran on several nodes: a one-node attempt's node
    // is the failure's (RecoveryPolicyNodeTest).
    PolicyInput in =
        withAction(
            dev.ajr.core.detect.RecoveryAction.REQUEUE_EXCLUDE_NODE,
            Cause.GPU_HARDWARE,
            "",
            requeue(1));
    var a = in.attempt();
    var onTwoNodes =
        new dev.ajr.core.job.Attempt(
            a.jobId(),
            a.index(),
            a.state(),
            List.of("node1", "node2"),
            a.startTime(),
            a.endTime(),
            a.exitCode(),
            a.endReason());
    DecisionPlan plan =
        policy.decide(
            input(
                in.job(),
                onTwoNodes,
                true,
                in.anomaly(),
                in.history(),
                in.heldSuccessor(),
                LIMITS));

    assertThat(plan.actions()).isEqualTo(RESTART_ACTIONS);
    assertThat(String.join(" ", plan.reasons())).contains("does not say which");
  }

  private PolicyInput preempted(int charged, int total) {
    return failedBy("slurm.preempted", false, charged, total);
  }

  /**
   * Attempt {@code total} failed by a SLURM_SCHEDULER anomaly of the rule, after {@code charged}
   * crashes and {@code total - charged} preemptions, each restarted by ajr.
   */
  private PolicyInput failedBy(String ruleId, boolean chargedRule, int charged, int total) {
    var a = anomaly(JOB, 0, Cause.SLURM_SCHEDULER, dev.ajr.core.detect.RecoveryAction.REQUEUE);
    var preemption =
        new dev.ajr.core.detect.Anomaly(
            a.id(),
            a.jobId(),
            a.attemptIndex(),
            a.type(),
            a.cause(),
            ruleId,
            a.action(),
            "slurmstepd: error: *** JOB 42 CANCELLED AT x DUE TO PREEMPTION ***",
            a.source(),
            a.lineNumber(),
            a.node(),
            a.lineWrittenAt(),
            a.lineReadAt(),
            a.detectedAt(),
            a.evidence(),
            chargedRule);
    return input(
        job(JOB, requeue(1), JobStatus.RUNNING),
        attempt(JOB, total, AttemptState.RUNNING),
        true,
        preemption,
        restarts(charged, total - charged),
        OptionalLong.empty(),
        LIMITS);
  }

  @Test
  void preemptionIsNotChargedToTheJobsBudget() {
    DecisionPlan plan = policy.decide(preempted(1, 1));

    assertThat(plan.operation()).isEqualTo(Operation.RESTART);
    assertThat(plan.actions()).isEqualTo(RESTART_ACTIONS);
    assertThat(String.join(" ", plan.reasons())).contains("not charged", "slurm.preempted");
  }

  @Test
  void whetherAFailureIsChargedIsTheAnomalysPropertyNotItsRuleId() {
    DecisionPlan siteRule = policy.decide(failedBy("site.maintenance-window", false, 1, 1));
    DecisionPlan chargedPreemption = policy.decide(failedBy("slurm.preempted", true, 1, 1));

    assertThat(siteRule.operation()).isEqualTo(Operation.RESTART);
    assertThat(String.join(" ", siteRule.reasons()))
        .contains("not charged", "site.maintenance-window is not the job's fault");
    assertThat(chargedPreemption.operation()).isEqualTo(Operation.STOP);
    assertThat(chargedPreemption.stopReason()).contains("requeue limit of 1");
  }

  @Test
  void evenUnchargedRestartsStopAtTheAdministratorsCap() {
    DecisionPlan plan = policy.decide(preempted(0, LIMITS.cap()));

    assertThat(plan.operation()).isEqualTo(Operation.STOP);
    assertThat(plan.stopsJob()).isTrue();
    assertThat(String.join(" ", plan.reasons())).contains("cap of 3");
  }

  @Test
  void aChargedFailureStillStopsAtTheJobsLimitAfterUnchargedOnes() {
    PolicyInput crash =
        input(
            job(JOB, requeue(1), JobStatus.RUNNING),
            attempt(JOB, 2, AttemptState.RUNNING),
            true,
            anomaly(JOB, 2, Cause.CRASH_SEGFAULT),
            restarts(1, 1),
            OptionalLong.empty(),
            LIMITS);

    assertThat(policy.decide(crash).operation()).isEqualTo(Operation.STOP);
  }
}
