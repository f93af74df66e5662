package dev.ajr.core.recovery;

import dev.ajr.core.detect.Anomaly;
import dev.ajr.core.job.Attempt;
import dev.ajr.core.job.AutoResumeMode;
import dev.ajr.core.job.DirectiveResult;
import dev.ajr.core.job.Job;
import dev.ajr.core.policy.JobHistory;
import dev.ajr.core.policy.Operation;
import dev.ajr.core.policy.PolicyInput;
import dev.ajr.core.policy.PolicySettings;
import dev.ajr.core.progress.AttemptProgress;
import dev.ajr.core.scheduler.SchedulerJob;
import dev.ajr.core.store.RecoveryStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * Reads what the policy looks at for one anomaly: the job, the failed attempt, the job's history
 * from the store (earlier attempts, ajr's restarts after them and their root causes, the progress
 * each attempt showed; in a singleton chain, the earlier jobs of the chain), the held successor
 * from the latest scheduler snapshot, and the cluster's restarts within the storm window. Only
 * reads; the caller holds the job's lock and the store's transaction for a consistent view.
 * Thread-safe when the store is.
 */
final class JobHistoryReader {

  /** A chain longer than this is cut (a loop in the stored releases would never end). */
  private static final int MAX_CHAIN = 10_000;

  private final RecoveryStore store;
  private final Supplier<List<SchedulerJob>> latestSnapshot;

  JobHistoryReader(RecoveryStore store, Supplier<List<SchedulerJob>> latestSnapshot) {
    this.store = store;
    this.latestSnapshot = latestSnapshot;
  }

  /**
   * The policy's input for the anomaly at {@code now}; empty when its job or attempt is unknown.
   */
  Optional<PolicyInput> inputFor(Anomaly anomaly, Instant now, DecisionSettings settings) {
    Optional<Job> job = store.job(anomaly.jobId());
    if (job.isEmpty()) {
      return Optional.empty();
    }
    List<Attempt> attempts = store.attempts(anomaly.jobId());
    Optional<Attempt> attempt =
        attempts.stream().filter(a -> a.index() == anomaly.attemptIndex()).findFirst();
    if (attempt.isEmpty()) {
      return Optional.empty();
    }
    int latest = attempts.stream().mapToInt(Attempt::index).max().orElse(0);
    PolicySettings policy = settings.policy();
    return Optional.of(
        new PolicyInput(
            job.get(),
            attempt.get(),
            attempt.get().index() == latest,
            anomaly,
            heldSuccessor(job.get()),
            settings.limits(),
            history(job.get(), attempts, attempt.get()),
            now,
            policy.clusterStormLimit() > 0
                ? store.restartsSince(now.minus(policy.stormWindow()))
                : 0,
            policy));
  }

  /**
   * The job's history for the policy. In {@code requeue} mode: the attempts of the job id before
   * the failed one, each with the restart ajr decided after it (a RESTART decision that did not
   * fail) and the progress it showed. In a singleton chain: the earlier jobs of the chain (each
   * released its successor), oldest first, each with the progress of all its attempts.
   */
  JobHistory history(Job job, List<Attempt> attempts, Attempt failed) {
    Map<Integer, AttemptProgress> progress = progressByAttempt(job.jobId());
    if (isSingleton(job)) {
      List<Long> chain = new ArrayList<>();
      Optional<Long> predecessor = store.predecessorOf(job.jobId());
      while (predecessor.isPresent() && chain.size() < MAX_CHAIN) {
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
            .filter(Objects::nonNull)
            .min(Comparator.naturalOrder())
            .orElse(null);
    Instant end =
        attempts.stream()
            .map(Attempt::endTime)
            .filter(Objects::nonNull)
            .max(Comparator.naturalOrder())
            .orElse(null);
    return run(jobId, last, start, end, progress, release, anomaliesById(jobId));
  }

  /**
   * One run, with the restart ajr decided after it (or null): the restart is charged to the job's
   * budget when the anomaly it was about is (or is not stored any more).
   */
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
  OptionalLong heldSuccessor(Job job) {
    if (!isSingleton(job)) {
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

  private static boolean isSingleton(Job job) {
    return job.directive() instanceof DirectiveResult.Valid valid
        && valid.directive().mode() == AutoResumeMode.SINGLETON_DEPENDENCY;
  }
}
