package dev.ajr.core.recovery;

import dev.ajr.core.detect.Anomaly;
import dev.ajr.core.detect.Cause;
import dev.ajr.core.detect.Detection;
import dev.ajr.core.detect.LineClassifier;
import dev.ajr.core.detect.LogLine;
import dev.ajr.core.detect.RecoveryAction;
import dev.ajr.core.event.AjrEvent;
import dev.ajr.core.event.EventSink;
import dev.ajr.core.job.Attempt;
import dev.ajr.core.policy.DecisionPlan;
import dev.ajr.core.policy.PolicyInput;
import dev.ajr.core.policy.RecoveryPolicy;
import dev.ajr.core.scheduler.SchedulerJob;
import dev.ajr.core.store.JobLocks;
import dev.ajr.core.store.RecoveryStore;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Turns log lines into anomalies and anomalies into decisions.
 *
 * <p>Contract: every line goes through the classifier; a matching line is stored as an anomaly of
 * the attempt it was read for (once, however often it is read), attributed to a node by {@link
 * NodeAttribution} (a kernel line to the node that read it; job output to the host its prefix names
 * when that is one of the attempt's nodes, else to the node it was read from, else to the attempt's
 * only node; no node when the attempt ran on several and the line does not say which). An anomaly
 * whose action is NONE (a slowdown) is only recorded. A cascade symptom (an NCCL timeout, an
 * elastic summary) waits in the {@link CascadeBuffer} for an initiating error of the same attempt,
 * which is decided on instead when it comes; otherwise the symptom is decided on once {@link
 * #decideSettled} finds its window over. The first anomaly decided on gets a decision from the
 * {@link RecoveryPolicy}, given what the {@link JobHistoryReader} reads about the job, and the
 * {@link DecisionRecorder} stores it with its planned actions before anything is done; later
 * anomalies of the same attempt are only recorded. A decision with actions is handed to {@code
 * execute} (which runs it on another thread). An attempt stores at most {@value
 * #MAX_STORED_PER_RULE} anomalies of one rule; later matches of that rule are counted, not stored
 * ({@link #cappedMatches}). Thread-safe.
 */
public final class AnomalyHandler {

  private final LineClassifier classifier;
  private final RecoveryPolicy policy = new RecoveryPolicy();
  private final RecoveryStore store;
  private final EventSink events;
  private final JobLocks locks;
  private final Clock clock;
  private final LongConsumer execute;
  private final DecisionSettings settings;
  private final JobHistoryReader history;
  private final DecisionRecorder recorder;
  private final CascadeBuffer cascades;
  private final OutputRepeats repeats = new OutputRepeats();
  private final RuleRepeatCap cap = new RuleRepeatCap(MAX_STORED_PER_RULE);

  /** How many anomalies of one rule an attempt stores ({@link RuleRepeatCap}). */
  static final int MAX_STORED_PER_RULE = 20;

  /**
   * @param latestSnapshot the scheduler's latest list of jobs (where a singleton chain's held
   *     successor is looked for)
   * @param execute carries out a stored decision, by its id
   */
  public AnomalyHandler(
      LineClassifier classifier,
      RecoveryStore store,
      Supplier<List<SchedulerJob>> latestSnapshot,
      EventSink events,
      JobLocks locks,
      Clock clock,
      LongConsumer execute,
      DecisionSettings settings) {
    this.classifier = classifier;
    this.store = store;
    this.events = events;
    this.locks = locks;
    this.clock = clock;
    this.execute = execute;
    this.settings = settings;
    this.history = new JobHistoryReader(store, latestSnapshot);
    this.recorder = new DecisionRecorder(store, events, settings.mode());
    this.cascades = new CascadeBuffer(settings.cascadeSettle());
  }

  /**
   * Handles one line of an attempt's output.
   *
   * @param node the node the line came from (a node agent's, or a one-node attempt's), or empty
   *     when unknown
   */
  public void onLine(long jobId, int attemptIndex, String node, LogLine line) {
    Optional<Detection> detection = classifier.classify(line.text());
    if (detection.isPresent()
        && repeats.counts(jobId, attemptIndex, line, detection.get())
        && cap.admits(jobId, attemptIndex, detection.get().ruleId())) {
      onDetection(jobId, attemptIndex, node, line, detection.get());
    }
  }

  /**
   * How many matching lines were not stored because their attempt had stored {@value
   * #MAX_STORED_PER_RULE} anomalies of that rule already.
   */
  public long cappedMatches() {
    return cap.capped();
  }

  /**
   * Handles a detection made elsewhere (the hang and straggler monitor), described by a line of
   * ajr's own.
   */
  public void onDetection(long jobId, int attemptIndex, String node, LogLine line, Detection d) {
    runLocked(
        jobId,
        () -> {
          String attributed =
              NodeAttribution.of(line.evidence(), node, d.node(), allocation(jobId, attemptIndex));
          return record(anomaly(jobId, attemptIndex, attributed, line, d), d.cascade());
        });
  }

  private Anomaly anomaly(long jobId, int attemptIndex, String node, LogLine line, Detection d) {
    return new Anomaly(
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
        node,
        line.writtenAt(),
        line.readAt(),
        clock.instant(),
        line.evidence(),
        d.charged());
  }

  /** The nodes the attempt ran on, as the store knows them; empty when unknown. */
  private List<String> allocation(long jobId, int attemptIndex) {
    for (Attempt a : store.attempts(jobId)) {
      if (a.index() == attemptIndex) {
        return a.nodes();
      }
    }
    return List.of();
  }

  /**
   * Decides for the cascade anomalies whose settle window has passed without an initiating error
   * (called now and then).
   */
  public void decideSettled() {
    for (Anomaly symptom : cascades.settled(clock.instant())) {
      runLocked(symptom.jobId(), () -> decide(symptom));
    }
  }

  /**
   * Runs {@code work} under the job's lock in one store transaction, then carries out the decision
   * it returns (0: none) outside both.
   */
  private void runLocked(long jobId, LongSupplier work) {
    long[] toExecute = {0};
    locks.withLock(jobId, () -> store.atomically(() -> toExecute[0] = work.getAsLong()));
    if (toExecute[0] != 0) {
      execute.accept(toExecute[0]);
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
    // A symptom that usually follows another failure gives the initiating error a moment to show
    // up (on another rank, in another file) before it is decided on.
    if (cascade && cascades.hold(anomaly, clock.instant())) {
      return 0;
    }
    return decide(anomaly);
  }

  /** The decision for the anomaly's attempt, if it has none yet; returns a decision to run. */
  private long decide(Anomaly anomaly) {
    if (store.decisionFor(anomaly.jobId(), anomaly.attemptIndex()).isPresent()) {
      return 0;
    }
    Instant now = clock.instant();
    Optional<PolicyInput> input = history.inputFor(anomaly, now, settings);
    if (input.isEmpty()) {
      return 0;
    }
    DecisionPlan plan = policy.decide(input.get());
    return recorder.record(input.get().job(), anomaly, plan, now);
  }
}
