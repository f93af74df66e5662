package dev.ajr.core.recovery;

import dev.ajr.core.detect.Anomaly;
import dev.ajr.core.detect.Cause;
import dev.ajr.core.detect.Detection;
import dev.ajr.core.detect.Evidence;
import dev.ajr.core.detect.LineClassifier;
import dev.ajr.core.detect.LogLine;
import dev.ajr.core.detect.RecoveryAction;
import dev.ajr.core.event.AjrEvent;
import dev.ajr.core.event.EventSink;
import dev.ajr.core.job.Attempt;
import dev.ajr.core.job.AutoResumeMode;
import dev.ajr.core.job.DirectiveResult;
import dev.ajr.core.job.Job;
import dev.ajr.core.job.JobStatus;
import dev.ajr.core.job.RequeueLimits;
import dev.ajr.core.policy.DecisionPlan;
import dev.ajr.core.policy.JobHistory;
import dev.ajr.core.policy.Operation;
import dev.ajr.core.policy.PlannedAction;
import dev.ajr.core.policy.PolicyInput;
import dev.ajr.core.policy.PolicySettings;
import dev.ajr.core.policy.RecoveryPolicy;
import dev.ajr.core.progress.AttemptProgress;
import dev.ajr.core.scheduler.SchedulerJob;
import dev.ajr.core.store.JobLocks;
import dev.ajr.core.store.RecoveryStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * Turns log lines into anomalies and anomalies into decisions.
 *
 * <p>Contract: every line goes through the classifier; a matching line is stored as an anomaly of
 * the attempt it was read for (once, however often it is read). An anomaly whose action is NONE (a
 * slowdown) is only recorded. A cascade symptom (an NCCL timeout, an elastic summary) waits {@code
 * cascadeSettle} for an initiating error of the same attempt, which is decided on instead when it
 * comes; otherwise the symptom is decided on once {@link #decideSettled} finds its window over. The
 * first anomaly decided on gets a decision from the {@link RecoveryPolicy}, given the job's history
 * from the store (earlier attempts, ajr's restarts after them and their root causes, the progress
 * each attempt showed) and the cluster's restarts within the storm window, and is stored with its
 * planned actions before anything is done; later anomalies of the same attempt are only recorded. A
 * decision with actions is handed to {@code execute} (which runs it on another thread).
 * Thread-safe.
 */
public final class AnomalyHandler {

  private final LineClassifier classifier;
  private final RecoveryPolicy policy = new RecoveryPolicy();
  private final RecoveryStore store;
  private final Supplier<List<SchedulerJob>> latestSnapshot;
  private final EventSink events;
  private final JobLocks locks;
  private final Clock clock;
  private final RequeueLimits limits;
  private final LongConsumer execute;
  private final Duration cascadeSettle;
  private final RecoveryMode mode;
  private final PolicySettings settings;
  private final Map<AttemptKey, Pending> pending = new HashMap<>();

  private record AttemptKey(long jobId, int attemptIndex) {}

  private record Pending(Anomaly anomaly, Instant due) {}

  /** A handler with the default settings of the policy's history-aware rules. */
  public AnomalyHandler(
      LineClassifier classifier,
      RecoveryStore store,
      Supplier<List<SchedulerJob>> latestSnapshot,
      EventSink events,
      JobLocks locks,
      Clock clock,
      RequeueLimits limits,
      LongConsumer execute,
      Duration cascadeSettle,
      RecoveryMode mode) {
    this(
        classifier,
        store,
        latestSnapshot,
        events,
        locks,
        clock,
        limits,
        execute,
        cascadeSettle,
        mode,
        PolicySettings.DEFAULTS);
  }

  /**
   * @param cascadeSettle how long a cascade symptom waits for an initiating error of the same
   *     attempt before it is decided on ({@link #decideSettled}); zero decides at once
   * @param mode which partitions ajr acts on; on the others decisions are only recorded
   * @param settings the knobs of the policy's history-aware rules (budgets per cause, progress,
   *     early deaths, restart storms)
   */
  public AnomalyHandler(
      LineClassifier classifier,
      RecoveryStore store,
      Supplier<List<SchedulerJob>> latestSnapshot,
      EventSink events,
      JobLocks locks,
      Clock clock,
      RequeueLimits limits,
      LongConsumer execute,
      Duration cascadeSettle,
      RecoveryMode mode,
      PolicySettings settings) {
    this.settings = settings;
    this.cascadeSettle = cascadeSettle;
    this.mode = mode;
    this.classifier = classifier;
    this.store = store;
    this.latestSnapshot = latestSnapshot;
    this.events = events;
    this.locks = locks;
    this.clock = clock;
    this.limits = limits;
    this.execute = execute;
  }

  /**
   * Handles one line of an attempt's output.
   *
   * @param node the node the line came from, or empty when unknown
   */
  public void onLine(long jobId, int attemptIndex, String node, LogLine line) {
    Optional<Detection> detection = classifier.classify(line.text());
    if (detection.isPresent()) {
      onDetection(jobId, attemptIndex, node, line, detection.get());
    }
  }

  /**
   * Handles a detection made elsewhere (the hang and straggler monitor), described by a line of
   * ajr's own.
   */
  public void onDetection(long jobId, int attemptIndex, String node, LogLine line, Detection d) {
    Anomaly candidate =
        new Anomaly(
            0,
            jobId,
            attemptIndex,
            d.type(),
            d.cause(),
            d.ruleId(),
            d.action(),
            line.text(),
            line.source(),
            line.lineNumber(),
            nodeOf(line, d, node),
            line.writtenAt(),
            line.readAt(),
            clock.instant(),
            line.evidence(),
            d.charged());
    long[] toExecute = {0};
    locks.withLock(
        jobId, () -> store.atomically(() -> toExecute[0] = record(candidate, d.cascade())));
    if (toExecute[0] != 0) {
      execute.accept(toExecute[0]);
    }
  }

  /**
   * The node a finding is attributed to: a kernel line is the reading node's own, whatever its text
   * names; in job output a node the line names (a rank's host prefix) beats the attempt's node.
   */
  private static String nodeOf(LogLine line, Detection d, String node) {
    if (line.evidence() == Evidence.KERNEL_LOG || d.node() == null) {
      return node;
    }
    return d.node();
  }

  /**
   * Decides for the cascade anomalies whose settle window has passed without an initiating error
   * (called now and then).
   */
  public void decideSettled() {
    Instant now = clock.instant();
    List<Pending> due = new ArrayList<>();
    synchronized (pending) {
      for (var it = pending.values().iterator(); it.hasNext(); ) {
        Pending p = it.next();
        if (!now.isBefore(p.due())) {
          due.add(p);
          it.remove();
        }
      }
    }
    for (Pending p : due) {
      long[] toExecute = {0};
      locks.withLock(
          p.anomaly().jobId(), () -> store.atomically(() -> toExecute[0] = decide(p.anomaly())));
      if (toExecute[0] != 0) {
        execute.accept(toExecute[0]);
      }
    }
  }

  /** Stores the anomaly and, for the first of an attempt, a decision; returns a decision to run. */
  private long record(Anomaly candidate, boolean cascade) {
    if (candidate.cause() == Cause.SLURM_SCHEDULER
        && store.decisionFor(candidate.jobId(), candidate.attemptIndex()).isPresent()) {
      // The step being aborted, cancelled or terminated after ajr decided about the attempt is
      // the consequence of that decision (ajr's own requeue or cancel), not a new failure.
      return 0;
    }
    Optional<Anomaly> stored = store.addAnomaly(candidate);
    if (stored.isEmpty()) {
      return 0;
    }
    Anomaly anomaly = stored.get();
    events.publish(new AjrEvent.AnomalyDetected(anomaly));
    if (anomaly.action() == RecoveryAction.NONE) {
      return 0; // recorded for people (a slowdown, say); nothing to decide
    }
    if (cascade && !cascadeSettle.isZero()) {
      // A symptom that usually follows another failure: give the initiating error a moment to
      // show up (on another rank, in another file) before deciding on the symptom.
      synchronized (pending) {
        pending.putIfAbsent(
            new AttemptKey(anomaly.jobId(), anomaly.attemptIndex()),
            new Pending(anomaly, clock.instant().plus(cascadeSettle)));
      }
      return 0;
    }
    return decide(anomaly);
  }

  /** The decision for the anomaly's attempt, if it has none yet; returns a decision to run. */
  private long decide(Anomaly anomaly) {
    if (store.decisionFor(anomaly.jobId(), anomaly.attemptIndex()).isPresent()) {
      return 0;
    }
    Optional<Job> job = store.job(anomaly.jobId());
    if (job.isEmpty()) {
      return 0;
    }
    List<Attempt> attempts = store.attempts(anomaly.jobId());
    Optional<Attempt> attempt =
        attempts.stream().filter(a -> a.index() == anomaly.attemptIndex()).findFirst();
    if (attempt.isEmpty()) {
      return 0;
    }
    int latest = attempts.stream().mapToInt(Attempt::index).max().orElse(0);
    Instant now = clock.instant();
    PolicyInput input =
        new PolicyInput(
            job.get(),
            attempt.get(),
            attempt.get().index() == latest,
            anomaly,
            heldSuccessor(job.get()),
            limits,
            history(job.get(), attempts, attempt.get()),
            now,
            settings.clusterStormLimit() > 0
                ? store.restartsSince(now.minus(settings.stormWindow()))
                : 0,
            settings);
    DecisionPlan plan = policy.decide(input);
    boolean acts = !plan.actions().isEmpty() || plan.stopsJob();
    if (acts && !mode.actsOn(job.get().partition())) {
      return observe(anomaly, plan, job.get().partition(), now);
    }
    Decision decision =
        store.addDecision(
            new Decision(
                0,
                anomaly.jobId(),
                anomaly.attemptIndex(),
                plan.operation(),
                plan.reasons(),
                anomaly.id(),
                acts ? DecisionState.PLANNED : DecisionState.DONE,
                plan.stopsJob(),
                plan.stopReason(),
                now,
                acts ? null : now),
            toActions(plan));
    events.publish(new AjrEvent.DecisionMade(decision, store.actions(decision.id())));
    if (!acts) {
      return 0;
    }
    store.saveJob(job.get().withStatus(JobStatus.RECOVERING, plan.reasons().get(0)));
    events.publish(
        new AjrEvent.JobStatusChanged(
            anomaly.jobId(), JobStatus.RECOVERING, plan.reasons().get(0)));
    return decision.id();
  }

  /** Records what ajr would have done, without doing it. */
  private long observe(Anomaly anomaly, DecisionPlan plan, String partition, Instant now) {
    List<String> reasons = new ArrayList<>(plan.reasons());
    reasons.add(mode.observeReason(partition));
    List<Action> skipped = new ArrayList<>();
    for (Action a : toActions(plan)) {
      skipped.add(a.withOutcome(ActionState.SKIPPED, "not sent: observe mode", now));
    }
    Decision decision =
        store.addDecision(
            new Decision(
                0,
                anomaly.jobId(),
                anomaly.attemptIndex(),
                plan.operation(),
                reasons,
                anomaly.id(),
                DecisionState.DONE,
                false,
                "",
                now,
                now),
            skipped);
    events.publish(new AjrEvent.DecisionMade(decision, store.actions(decision.id())));
    return 0;
  }

  private static List<Action> toActions(DecisionPlan plan) {
    List<Action> actions = new ArrayList<>();
    int seq = 0;
    for (PlannedAction p : plan.actions()) {
      actions.add(
          new Action(
              0,
              0,
              seq++,
              p.kind(),
              p.targetJobId(),
              p.nodes(),
              ActionState.PENDING,
              0,
              "",
              null,
              null));
    }
    return actions;
  }

  /**
   * The job's history for the policy. In {@code requeue} mode: the attempts of the job id before
   * the failed one, each with the restart ajr decided after it (a RESTART decision that did not
   * fail) and the progress it showed. In a singleton chain: the earlier jobs of the chain (each
   * released its successor), oldest first, each with the progress of all its attempts.
   */
  private JobHistory history(Job job, List<Attempt> attempts, Attempt failed) {
    Map<Integer, AttemptProgress> progress = progressByAttempt(job.jobId());
    if (job.directive() instanceof DirectiveResult.Valid valid
        && valid.directive().mode() == AutoResumeMode.SINGLETON_DEPENDENCY) {
      List<Long> chain = new ArrayList<>();
      Optional<Long> predecessor = store.predecessorOf(job.jobId());
      while (predecessor.isPresent() && chain.size() < 10_000) {
        chain.add(0, predecessor.get());
        predecessor = store.predecessorOf(predecessor.get());
      }
      List<JobHistory.Run> links = new ArrayList<>();
      for (long link : chain) {
        links.add(link(link));
      }
      AttemptProgress own = AttemptProgress.none(failed.index());
      for (AttemptProgress p : progress.values()) {
        if (p.attemptIndex() <= failed.index()) {
          own = own.plus(p);
        }
      }
      return new JobHistory(links, own);
    }
    Map<Integer, Decision> restarts = new HashMap<>();
    for (Decision d : store.decisions(job.jobId())) {
      if (d.operation() == Operation.RESTART && d.state() != DecisionState.FAILED) {
        restarts.putIfAbsent(d.attemptIndex(), d);
      }
    }
    Map<Long, Anomaly> anomalies = anomaliesById(job.jobId());
    List<JobHistory.Run> earlier = new ArrayList<>();
    for (Attempt a : attempts) {
      if (a.index() >= failed.index()) {
        continue;
      }
      earlier.add(
          run(
              job.jobId(),
              a.index(),
              a.startTime(),
              a.endTime(),
              progress.getOrDefault(a.index(), AttemptProgress.none(a.index())),
              restarts.get(a.index()),
              anomalies));
    }
    return new JobHistory(
        earlier, progress.getOrDefault(failed.index(), AttemptProgress.none(failed.index())));
  }

  /** An earlier job of a singleton chain as one run: all its attempts, the release it got. */
  private JobHistory.Run link(long jobId) {
    List<Attempt> attempts = store.attempts(jobId);
    Decision release =
        store.decisions(jobId).stream()
            .filter(d ->
                (d.operation() == Operation.RELEASE || d.operation() == Operation.RESTART)
                    && d.state() != DecisionState.FAILED)
            .reduce((first, second) -> second)
            .orElse(null);
    int last = attempts.stream().mapToInt(Attempt::index).max().orElse(0);
    AttemptProgress progress = AttemptProgress.none(last);
    for (AttemptProgress p : store.progress(jobId)) {
      progress = progress.plus(p);
    }
    Instant start =
        attempts.stream()
            .map(Attempt::startTime)
            .filter(java.util.Objects::nonNull)
            .min(Comparator.naturalOrder())
            .orElse(null);
    Instant end =
        attempts.stream()
            .map(Attempt::endTime)
            .filter(java.util.Objects::nonNull)
            .max(Comparator.naturalOrder())
            .orElse(null);
    return run(jobId, last, start, end, progress, release, anomaliesById(jobId));
  }

  private static JobHistory.Run run(
      long jobId,
      int index,
      Instant start,
      Instant end,
      AttemptProgress progress,
      Decision restart,
      Map<Long, Anomaly> anomalies) {
    if (restart == null) {
      return new JobHistory.Run(jobId, index, start, end, progress, null, null, false);
    }
    Anomaly why = anomalies.get(restart.anomalyId());
    return new JobHistory.Run(
        jobId,
        index,
        start,
        end,
        progress,
        restart.createdAt(),
        why == null ? null : why.cause(),
        why == null || why.charged());
  }

  private Map<Long, Anomaly> anomaliesById(long jobId) {
    Map<Long, Anomaly> byId = new HashMap<>();
    store.anomalies(jobId).forEach(a -> byId.put(a.id(), a));
    return byId;
  }

  private Map<Integer, AttemptProgress> progressByAttempt(long jobId) {
    Map<Integer, AttemptProgress> byIndex = new HashMap<>();
    store.progress(jobId).forEach(p -> byIndex.merge(p.attemptIndex(), p, AttemptProgress::plus));
    return byIndex;
  }

  /** The oldest held, pending job with the same name and owner submitted after this one. */
  private OptionalLong heldSuccessor(Job job) {
    if (!(job.directive() instanceof DirectiveResult.Valid valid)
        || valid.directive().mode() != AutoResumeMode.SINGLETON_DEPENDENCY) {
      return OptionalLong.empty();
    }
    return latestSnapshot.get().stream()
        .filter(j ->
            j.jobId() > job.jobId()
                && j.name().equals(job.name())
                && j.user().equals(job.user())
                && j.isPending()
                && j.held())
        .min(Comparator.comparingLong(SchedulerJob::jobId))
        .map(j -> OptionalLong.of(j.jobId()))
        .orElse(OptionalLong.empty());
  }
}
