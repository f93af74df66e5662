package dev.ajr.core.tracking;

import dev.ajr.core.event.AjrEvent;
import dev.ajr.core.event.EventSink;
import dev.ajr.core.job.Attempt;
import dev.ajr.core.job.AttemptState;
import dev.ajr.core.job.DirectiveParser;
import dev.ajr.core.job.DirectiveResult;
import dev.ajr.core.job.Job;
import dev.ajr.core.job.JobStatus;
import dev.ajr.core.scheduler.SchedulerJob;
import dev.ajr.core.store.JobLocks;
import dev.ajr.core.store.RecoveryStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Brings the store in line with one snapshot of the scheduler: new jobs are recorded with their
 * parsed directive, attempts are created up to Slurm's restart count, and each attempt's state,
 * nodes and times follow the scheduler.
 *
 * <p>Contract: final attempt states are never changed back (ajr's own {@link AttemptState#KILLED}
 * is written by the executor); a job whose status is {@link JobStatus#RECOVERING} or final keeps
 * it. Attempts skipped between two snapshots (a restart count that jumped) are created as {@link
 * AttemptState#REQUEUED}. While a job is {@link JobStatus#RECOVERING} its attempts are left to the
 * executor, which records what its actions did. One thread at a time calls {@link #reconcile};
 * writes take the job's lock.
 *
 * <p>Cost: a round costs store work only for what changed. A job whose scheduler record is the same
 * as in the last round, and that nobody else changed since ({@link #touched}), is not read from the
 * store again: its active attempt from the last round stands. Every {@value #REFRESH_ROUNDS} rounds
 * all recorded jobs are reconciled anyway. A job that did not opt in is recorded only once ajr sees
 * it run (or it opts in): a queue of 100,000 jobs is mostly pending such jobs, and slurmctld keeps
 * thousands of finished ones for {@code MinJobAge} that ajr, started afresh, need not record.
 */
public final class JobTracker {

  private final RecoveryStore store;
  private final EventSink events;
  private final JobLocks locks;
  private final Clock clock;
  static final int MISSES_BEFORE_LOST = 3;
  static final int REFRESH_ROUNDS = 60;

  private final DirectiveParser parser = new DirectiveParser();
  private final Map<Long, Integer> misses = new HashMap<>();
  private final Map<Long, Seen> seen = new HashMap<>();
  private final Set<Long> touched = ConcurrentHashMap.newKeySet();
  private final Map<Long, Instant> hot = new ConcurrentHashMap<>();
  private long rounds;
  static final Duration HOT_FOR = Duration.ofMinutes(10);

  /**
   * What the last round saw of a job.
   *
   * @param active the job's active attempt then, or null
   * @param recorded false for a job that did not opt in, is not in the store and was not running
   */
  private record Seen(SchedulerJob job, ActiveAttempt active, boolean recorded) {}

  private final Accounting accounting;

  /** Where the end of a job the scheduler forgot may still be found. */
  @FunctionalInterface
  public interface Accounting {
    /** The scheduler's last word on the job, or empty when nobody remembers it. Never throws. */
    Optional<SchedulerJob> lastWord(long jobId);

    Accounting NONE = jobId -> Optional.empty();
  }

  public JobTracker(RecoveryStore store, EventSink events, JobLocks locks, Clock clock) {
    this(store, events, locks, clock, Accounting.NONE);
  }

  /**
   * @param accounting asked about a job that went missing before it is marked lost
   */
  public JobTracker(
      RecoveryStore store, EventSink events, JobLocks locks, Clock clock, Accounting accounting) {
    this.store = store;
    this.events = events;
    this.locks = locks;
    this.clock = clock;
    this.accounting = accounting;
  }

  /**
   * Reconciles every job of the snapshot; returns the current attempts of unfinished jobs. A job
   * ajr still thinks active that is missing from {@value #MISSES_BEFORE_LOST} snapshots in a row is
   * marked {@link JobStatus#LOST}, unless the scheduler's accounting tells how it ended.
   */
  public List<ActiveAttempt> reconcile(List<SchedulerJob> snapshot) {
    return reconcile(snapshot, Set.of());
  }

  /**
   * As {@link #reconcile(List)}, for a snapshot that was being read while the jobs {@code
   * lookedAtSince} were looked at one by one ({@link #reconcileSome}): their records in the
   * snapshot may be older than what those looks found, and a job submitted meanwhile is not in it,
   * so they count as present and keep their active attempt from the look; the next snapshot
   * reconciles them. {@code lookedAtSince} holds only jobs the looks found.
   */
  public List<ActiveAttempt> reconcile(List<SchedulerJob> snapshot, Set<Long> lookedAtSince) {
    List<ActiveAttempt> running = new ArrayList<>();
    Set<Long> inSnapshot = new HashSet<>();
    Set<Long> changedElsewhere = new HashSet<>();
    for (Iterator<Long> it = touched.iterator(); it.hasNext(); ) {
      changedElsewhere.add(it.next());
      it.remove();
    }
    boolean refresh = ++rounds % REFRESH_ROUNDS == 0;
    for (SchedulerJob job : snapshot) {
      long id = job.jobId();
      inSnapshot.add(id);
      Seen before = seen.get(id);
      if (lookedAtSince.contains(id)) {
        if (changedElsewhere.contains(id)) {
          touched.add(id); // still to be reconciled with a record newer than the change
        }
        if (before != null && before.active() != null) {
          running.add(before.active());
        }
        continue;
      }
      if (before != null
          && before.job().equals(job)
          && !changedElsewhere.contains(id)
          && !(refresh && before.recorded())) {
        if (before.active() != null) {
          running.add(before.active());
        }
        continue;
      }
      running.addAll(reconcileOne(job));
    }
    for (long id : lookedAtSince) {
      Seen looked = seen.get(id);
      if (inSnapshot.add(id) && looked != null && looked.active() != null) {
        running.add(looked.active()); // found by a look after the snapshot was begun
      }
    }
    seen.keySet().retainAll(inSnapshot);
    List<Long> active = store.activeJobIds();
    misses.keySet().retainAll(new HashSet<>(active));
    for (long id : active) {
      if (inSnapshot.contains(id)) {
        misses.remove(id);
      } else if (misses.merge(id, 1, Integer::sum) >= MISSES_BEFORE_LOST) {
        misses.remove(id);
        Optional<SchedulerJob> last = accounting.lastWord(id).filter(j -> j.jobId() == id);
        if (last.isPresent() && last.get().isFinished()) {
          reconcileOne(last.get()); // how it ended, from the accounting
        } else {
          locks.withLock(id, () -> store.atomically(() -> markLost(id)));
        }
      }
    }
    return running;
  }

  /**
   * Reconciles these fresh looks at single jobs, between two rounds; returns their active attempts.
   * Jobs not given are left alone (a job missing here is not missing from Slurm). Same thread as
   * {@link #reconcile}.
   */
  public List<ActiveAttempt> reconcileSome(List<SchedulerJob> fresh) {
    List<ActiveAttempt> running = new ArrayList<>();
    for (SchedulerJob job : fresh) {
      touched.remove(job.jobId());
      running.addAll(reconcileOne(job));
    }
    return running;
  }

  /**
   * The jobs worth a look of their own between two rounds, most recently changed first, at most
   * {@code max}: those ajr acted on within {@link #HOT_FOR} ({@link #actedOn}: their next attempt
   * is about to start) that are still active.
   */
  public List<Long> hotJobs(int max) {
    Instant since = clock.instant().minus(HOT_FOR);
    hot.values().removeIf(at -> at.isBefore(since));
    Set<Long> active = new HashSet<>(store.activeJobIds());
    return hot.entrySet().stream()
        .filter(e -> active.contains(e.getKey()))
        .sorted(Map.Entry.<Long, Instant>comparingByValue().reversed())
        .limit(max)
        .map(Map.Entry::getKey)
        .toList();
  }

  private List<ActiveAttempt> reconcileOne(SchedulerJob job) {
    long id = job.jobId();
    if (!job.isRunning()
        && parser.parse(job.comment()) instanceof DirectiveResult.Absent
        && store.job(id).isEmpty()) {
      seen.put(id, new Seen(job, null, false));
      return List.of();
    }
    List<ActiveAttempt> mine = new ArrayList<>(1);
    locks.withLock(id, () -> store.atomically(() -> reconcileJob(job, mine)));
    seen.put(id, new Seen(job, mine.isEmpty() ? null : mine.get(0), true));
    return mine;
  }

  /**
   * Says that something other than this tracker changed the job in the store (the executor acted on
   * it, a person marked it): the next round reconciles it even when Slurm's record is unchanged.
   * Any thread.
   */
  public void touched(long jobId) {
    touched.add(jobId);
  }

  /**
   * Says that ajr acted on the job (a decision, an action): it is worth a look of its own between
   * rounds for a while ({@link #hotJobs}). Any thread.
   */
  public void actedOn(long jobId) {
    touched.add(jobId);
    hot.put(jobId, clock.instant());
  }

  private void markLost(long jobId) {
    Job job = store.job(jobId).orElse(null);
    if (job == null || job.status().isFinal() || job.status() == JobStatus.RECOVERING) {
      return;
    }
    Instant now = clock.instant();
    String reason = "Slurm no longer knows the job; ajr did not see how it ended";
    for (Attempt attempt : store.attempts(jobId)) {
      if (!attempt.state().isFinal()) {
        store.saveAttempt(attempt.ended(AttemptState.UNKNOWN, now, null, reason));
        events.publish(
            new AjrEvent.AttemptEnded(jobId, attempt.index(), AttemptState.UNKNOWN, reason, now));
      }
    }
    store.saveJob(job.withStatus(JobStatus.LOST, reason));
    events.publish(new AjrEvent.JobStatusChanged(jobId, JobStatus.LOST, reason));
  }

  private void reconcileJob(SchedulerJob sj, List<ActiveAttempt> running) {
    Instant now = clock.instant();
    Job job = store.job(sj.jobId()).orElse(null);
    if (job == null) {
      job =
          new Job(
              sj.jobId(),
              sj.name(),
              sj.user(),
              sj.partition(),
              sj.workDir(),
              sj.stdOut(),
              sj.stdErr(),
              sj.comment(),
              parser.parse(sj.comment()),
              JobStatuses.jobStatus(sj),
              "",
              sj.submitTime(),
              now,
              sj.gpus());
      store.saveJob(job);
      events.publish(new AjrEvent.JobDiscovered(job));
    } else {
      if (!Objects.equals(job.stdOut(), sj.stdOut())
          || !Objects.equals(job.stdErr(), sj.stdErr())) {
        // A path still holding % patterns is one the adapter did not resolve (it resolves only
        // the paths ajr may read): it never replaces a resolved one.
        boolean unresolved = sj.stdOut().contains("%") || sj.stdErr().contains("%");
        if ((!sj.stdOut().isEmpty() || !sj.stdErr().isEmpty()) && !unresolved) {
          job = job.withOutputs(sj.stdOut(), sj.stdErr());
          store.saveJob(job);
        }
      }
      if (sj.gpus() > 0 && sj.gpus() != job.gpus()) {
        job = job.withGpus(sj.gpus());
        store.saveJob(job);
      }
      JobStatus status = JobStatuses.jobStatus(sj);
      if (!job.status().isFinal()
          && job.status() != JobStatus.RECOVERING
          && job.status() != status) {
        job = job.withStatus(status, "");
        store.saveJob(job);
        events.publish(new AjrEvent.JobStatusChanged(job.jobId(), status, ""));
      }
    }
    Map<Integer, Attempt> attempts = new HashMap<>();
    for (Attempt a : store.attempts(sj.jobId())) {
      attempts.put(a.index(), a);
    }
    if (job.status() == JobStatus.RECOVERING) {
      // The executor records what its actions do to the attempts (KILLED, the next attempt);
      // the scheduler's view of them in between (cancelled, requeued) is not the story. The
      // logs of the attempt ajr knows go on being read.
      keepFollowing(job, attempts, running);
      return;
    }
    for (int i = 0; i < sj.restartCount(); i++) {
      Attempt earlier = attempts.get(i);
      if (earlier == null) {
        store.saveAttempt(
            Attempt.pending(sj.jobId(), i)
                .ended(AttemptState.REQUEUED, null, null, "requeued before ajr saw it end"));
      } else if (!earlier.state().isFinal()) {
        Attempt ended = earlier.ended(AttemptState.REQUEUED, now, null, "requeued");
        store.saveAttempt(ended);
        events.publish(
            new AjrEvent.AttemptEnded(sj.jobId(), i, AttemptState.REQUEUED, "requeued", now));
      }
    }
    int index = sj.restartCount();
    Attempt current = attempts.get(index);
    if (current == null) {
      current = Attempt.pending(sj.jobId(), index);
      store.saveAttempt(current);
    }
    if (current.state().isFinal()) {
      return;
    }
    AttemptState state = JobStatuses.attemptState(sj);
    if (state == AttemptState.RUNNING
        && current.state() != AttemptState.RUNNING
        && previousRunCompleting(sj, attempts.get(index - 1))) {
      state = AttemptState.PENDING;
    }
    if (state == AttemptState.RUNNING) {
      if (current.state() != AttemptState.RUNNING) {
        Instant started = sj.startTime() != null ? sj.startTime() : now;
        current =
            new Attempt(
                sj.jobId(), index, AttemptState.RUNNING, sj.nodes(), started, null, null, "");
        store.saveAttempt(current);
        events.publish(new AjrEvent.AttemptStarted(sj.jobId(), index, sj.nodes(), started));
      }
      running.add(
          new ActiveAttempt(
              sj.jobId(),
              index,
              true,
              job.workDir(),
              job.stdOut(),
              job.stdErr(),
              current.nodes(),
              current.startTime()));
    } else if (state == AttemptState.PENDING) {
      running.add(
          new ActiveAttempt(
              sj.jobId(),
              index,
              false,
              job.workDir(),
              job.stdOut(),
              job.stdErr(),
              List.of(),
              null));
    } else if (state.isFinal()) {
      Instant ended = sj.endTime() != null ? sj.endTime() : now;
      List<String> nodes = current.nodes().isEmpty() ? sj.nodes() : current.nodes();
      Instant started = current.startTime() != null ? current.startTime() : sj.startTime();
      String reason = endReason(sj, state);
      current = new Attempt(sj.jobId(), index, state, nodes, started, ended, sj.exitCode(), reason);
      store.saveAttempt(current);
      events.publish(new AjrEvent.AttemptEnded(sj.jobId(), index, state, reason, ended));
    }
  }

  /**
   * Whether a COMPLETING record with a restart count already raised is the previous run still
   * ending: Slurm raises the count when it requeues, while that run's processes are being killed
   * and its epilogs run (the controller's epilog hook looks right then), and keeps that run's start
   * time until the next one starts. The next attempt has not started yet.
   */
  private static boolean previousRunCompleting(SchedulerJob sj, Attempt previous) {
    return "COMPLETING".equals(sj.state())
        && previous != null
        && previous.startTime() != null
        && sj.startTime() != null
        && !sj.startTime().isAfter(previous.startTime());
  }

  private static void keepFollowing(
      Job job, Map<Integer, Attempt> attempts, List<ActiveAttempt> running) {
    attempts.values().stream()
        .max(java.util.Comparator.comparingInt(Attempt::index))
        .filter(a -> !a.state().isFinal())
        .ifPresent(a ->
            running.add(
                new ActiveAttempt(
                    job.jobId(),
                    a.index(),
                    a.state() == AttemptState.RUNNING,
                    job.workDir(),
                    job.stdOut(),
                    job.stdErr(),
                    a.nodes(),
                    a.startTime())));
  }

  private static String endReason(SchedulerJob sj, AttemptState state) {
    String exit = sj.exitCode() == null ? "" : " with exit code " + sj.exitCode();
    return switch (state) {
      case COMPLETED -> "completed" + exit;
      case CANCELLED -> "cancelled";
      default -> sj.state().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + exit;
    };
  }
}
