package dev.ajr.core.testing;

import dev.ajr.core.detect.Anomaly;
import dev.ajr.core.detect.Excerpt;
import dev.ajr.core.detect.ExcerptLine;
import dev.ajr.core.job.Attempt;
import dev.ajr.core.job.Job;
import dev.ajr.core.policy.ActionKind;
import dev.ajr.core.policy.Operation;
import dev.ajr.core.progress.AttemptProgress;
import dev.ajr.core.progress.ProgressEvent;
import dev.ajr.core.recovery.Action;
import dev.ajr.core.recovery.ActionState;
import dev.ajr.core.recovery.Decision;
import dev.ajr.core.recovery.DecisionState;
import dev.ajr.core.store.JobQuery;
import dev.ajr.core.store.RecoveryStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/** A {@link RecoveryStore} in maps, for tests. Synchronized, so every method is atomic. */
public final class InMemoryRecoveryStore implements RecoveryStore {

  private final Map<Long, Job> jobs = new TreeMap<>();
  private final Map<Long, Map<Integer, Attempt>> attempts = new TreeMap<>();
  private final List<Anomaly> anomalies = new ArrayList<>();
  private final Map<Long, Decision> decisions = new TreeMap<>();
  private final Map<Long, Action> actions = new TreeMap<>();
  private final Map<Long, Map<Integer, AttemptProgress>> progress = new TreeMap<>();
  private final Map<Long, List<ExcerptLine>> excerpts = new TreeMap<>();
  private long nextId = 1;

  /** Records a progress line of an attempt, as the server's progress marks do. */
  public synchronized void recordProgress(long jobId, int attemptIndex, ProgressEvent event) {
    AttemptProgress seen =
        switch (event.kind()) {
          case CHECKPOINT_SAVED -> new AttemptProgress(attemptIndex, 1, event.iteration(), -1);
          case ITERATION -> new AttemptProgress(attemptIndex, 0, -1, event.iteration());
          case CHECKPOINT_LOADED -> AttemptProgress.none(attemptIndex);
        };
    progress
        .computeIfAbsent(jobId, id -> new TreeMap<>())
        .merge(attemptIndex, seen, AttemptProgress::plus);
  }

  @Override
  public synchronized List<AttemptProgress> progress(long jobId) {
    return List.copyOf(progress.getOrDefault(jobId, Map.of()).values());
  }

  @Override
  public synchronized int restartsSince(Instant since) {
    return (int)
        decisions.values().stream()
            .filter(d -> d.operation() == Operation.RESTART || d.operation() == Operation.RELEASE)
            .filter(d -> d.state() != DecisionState.FAILED && !d.createdAt().isBefore(since))
            .filter(d ->
                actions.values().stream()
                    .anyMatch(a -> a.decisionId() == d.id() && a.state() != ActionState.SKIPPED))
            .count();
  }

  @Override
  public synchronized Optional<Job> job(long jobId) {
    return Optional.ofNullable(jobs.get(jobId));
  }

  @Override
  public synchronized void saveJob(Job job) {
    jobs.put(job.jobId(), job);
  }

  @Override
  public synchronized List<Job> jobs(JobQuery query) {
    return matching(query).stream().skip(query.offset()).limit(query.limit()).toList();
  }

  @Override
  public synchronized int countJobs(JobQuery query) {
    return matching(query).size();
  }

  private List<Job> matching(JobQuery query) {
    return jobs.values().stream()
        .filter(j -> query.user() == null || query.user().equals(j.user()))
        .filter(j -> query.status() == null || query.status() == j.status())
        .sorted(Comparator.comparingLong(Job::jobId).reversed())
        .toList();
  }

  @Override
  public synchronized List<Long> activeJobIds() {
    return jobs.values().stream().filter(j -> !j.status().isFinal()).map(Job::jobId).toList();
  }

  @Override
  public synchronized List<Attempt> attempts(long jobId) {
    return List.copyOf(attempts.getOrDefault(jobId, Map.of()).values());
  }

  @Override
  public synchronized void saveAttempt(Attempt attempt) {
    attempts.computeIfAbsent(attempt.jobId(), id -> new TreeMap<>()).put(attempt.index(), attempt);
  }

  @Override
  public synchronized Optional<Anomaly> addAnomaly(Anomaly anomaly) {
    boolean seen =
        anomalies.stream()
            .anyMatch(a ->
                a.jobId() == anomaly.jobId()
                    && a.attemptIndex() == anomaly.attemptIndex()
                    && Objects.equals(a.source(), anomaly.source())
                    && a.lineNumber() == anomaly.lineNumber());
    if (seen) {
      return Optional.empty();
    }
    Anomaly stored = anomaly.withId(nextId++);
    anomalies.add(stored);
    return Optional.of(stored);
  }

  @Override
  public synchronized List<Anomaly> anomalies(long jobId) {
    return anomalies.stream().filter(a -> a.jobId() == jobId).toList();
  }

  @Override
  public synchronized void appendExcerpt(long anomalyId, List<ExcerptLine> lines) {
    if (anomalies.stream().noneMatch(a -> a.id() == anomalyId)) {
      return;
    }
    excerpts.put(anomalyId, Excerpt.merge(excerpts.getOrDefault(anomalyId, List.of()), lines));
  }

  @Override
  public synchronized Map<Long, List<ExcerptLine>> excerpts(long jobId) {
    Map<Long, List<ExcerptLine>> out = new TreeMap<>();
    for (Anomaly a : anomalies) {
      if (a.jobId() == jobId && excerpts.containsKey(a.id())) {
        out.put(a.id(), excerpts.get(a.id()));
      }
    }
    return out;
  }

  @Override
  public synchronized List<Anomaly> anomaliesAfter(long afterId, int limit) {
    return anomalies.stream().filter(a -> a.id() > afterId).limit(limit).toList();
  }

  @Override
  public synchronized Decision addDecision(Decision decision, List<Action> newActions) {
    Decision stored = decision.withId(nextId++);
    decisions.put(stored.id(), stored);
    for (Action a : newActions) {
      long id = nextId++;
      actions.put(
          id,
          new Action(
              id,
              stored.id(),
              a.seq(),
              a.kind(),
              a.targetJobId(),
              a.nodes(),
              a.state(),
              a.tries(),
              a.outcome(),
              a.startedAt(),
              a.finishedAt()));
    }
    return stored;
  }

  @Override
  public synchronized void saveDecision(Decision decision) {
    if (!decisions.containsKey(decision.id())) {
      throw new IllegalStateException("no decision " + decision.id());
    }
    if (!decisions.get(decision.id()).state().isFinal()) {
      decisions.put(decision.id(), decision);
    }
  }

  @Override
  public synchronized void saveAction(Action action) {
    if (!actions.containsKey(action.id())) {
      throw new IllegalStateException("no action " + action.id());
    }
    ActionState stored = actions.get(action.id()).state();
    if (stored != ActionState.VERIFIED && stored != ActionState.FAILED) {
      actions.put(action.id(), action);
    }
  }

  @Override
  public synchronized Optional<Decision> decision(long decisionId) {
    return Optional.ofNullable(decisions.get(decisionId));
  }

  @Override
  public synchronized Optional<Decision> decisionFor(long jobId, int attemptIndex) {
    return decisions.values().stream()
        .filter(d -> d.jobId() == jobId && d.attemptIndex() == attemptIndex)
        .findFirst();
  }

  @Override
  public synchronized List<Decision> decisions(long jobId) {
    return decisions.values().stream().filter(d -> d.jobId() == jobId).toList();
  }

  @Override
  public synchronized List<Action> actions(long decisionId) {
    return actions.values().stream()
        .filter(a -> a.decisionId() == decisionId)
        .sorted(Comparator.comparingInt(Action::seq))
        .toList();
  }

  @Override
  public synchronized List<Decision> unfinishedDecisions() {
    return decisions.values().stream().filter(d -> !d.state().isFinal()).toList();
  }

  @Override
  public synchronized Optional<Long> predecessorOf(long successorJobId) {
    for (Action a : actions.values()) {
      if (a.kind() == ActionKind.RELEASE && a.targetJobId() == successorJobId) {
        Decision d = decisions.get(a.decisionId());
        if (d != null && d.jobId() != successorJobId) {
          return Optional.of(d.jobId());
        }
      }
    }
    return Optional.empty();
  }
}
