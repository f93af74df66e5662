package dev.ajr.server.logs;

import dev.ajr.core.detect.Evidence;
import dev.ajr.core.detect.LogLine;
import dev.ajr.core.tracking.ActiveAttempt;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the output of every active job on a shared filesystem: at once when the file system
 * notifies a change, by polling where it cannot.
 *
 * <p>Design: the tracker reports the current attempt of each unfinished job after every scheduler
 * poll ({@link #update}). While an attempt runs, its job's standard output and error and the step
 * logs in its working directory ({@link JobLogFiles}) are followed. A step log belongs to the
 * attempt that was running when it appeared (or to the previous attempt when it was last written
 * before the current one started), so a file per attempt is attributed right; standard output,
 * which Slurm reuses across attempts, belongs to whichever attempt runs when a line is read.
 * Followers and their offsets live as long as the job is active, so a requeued job's old lines are
 * never read again for its next attempt; a job that stops being active is read for a grace period
 * more (its last lines), then its partial last lines are flushed and it is forgotten. Positions are
 * saved through {@link LogOffsets} once a second, those of all files read meanwhile together, so
 * after a restart of ajr a file is read on from where it was, with the attempt it belonged to.
 *
 * <p>When to read: each distinct directory a job uses (its working directory, the directories of
 * its outputs) is watched once ({@link DirectoryWatcher}) however many files and jobs it holds. A
 * notification reads the files named in it at once, and a file created there that belongs to a job
 * is followed at once. Directories on network and parallel file systems ({@link
 * NotifyingFileSystems}), directories that could not be registered, and every directory when {@link
 * LogSettings#notifications()} is off are polled: their files are read every {@code pollInterval}
 * and listed every {@code scanInterval}. Watched files are still read, and watched directories
 * listed, about every {@code safetyPollInterval}, in case a notification was lost: a share of them
 * in each round, so that no round holds up the notified reads for long. A directory's registration
 * is cancelled when the last job using it is forgotten.
 *
 * <p>All reading happens on one thread ({@code ajr-log-follower}); notifications are taken on
 * another ({@code ajr-log-watcher}) and handed over. {@link #update} may be called from any thread.
 *
 * <p>Why one class: the state it reads by, the jobs ({@link FollowedJob}), their files ({@link
 * FollowedFile}) and directories ({@link LogDirectory}), with the indexes by path, is confined to
 * the follower thread and changed by every step of a round together: adopting an attempt attaches
 * directories and re-attributes step logs, a listing follows files and registers directories, a
 * notification reads files and adopts created ones, forgetting a job releases its files and
 * directories. Split into services, each would hand the others its mutable maps, and which thread
 * may touch them would no longer be plain from one file. What has a job of its own is outside:
 * reading one file ({@link FileFollower}), which files are a job's and which attempt a step log
 * belongs to ({@link JobLogFiles}), the notifications ({@link DirectoryWatcher}) and the saved
 * positions ({@link SavedPositions}).
 */
public final class LogFollowService implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LogFollowService.class);

  private final LineHandler handler;
  private final SavedPositions positions;
  private final Clock clock;
  private final LogSettings settings;
  private final Function<Path, Optional<String>> whyPolled;
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("ajr-log-follower").daemon(true).factory());
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final Map<Long, FollowedJob> jobs = new HashMap<>();
  private final Map<Path, LogDirectory> dirs = new HashMap<>();
  private final Map<Path, List<FollowedFile>> byPath = new HashMap<>();
  private volatile DirectoryWatcher watcher;
  private volatile Map<Long, ActiveAttempt> latest = Map.of();
  private volatile long backlog;
  private volatile int filesFollowed;
  private final int safetyRounds;
  private long round;
  private int nextSlot;

  public LogFollowService(LineHandler handler, Clock clock, LogSettings settings) {
    this(handler, clock, settings, LogOffsets.NONE);
  }

  /**
   * @param offsets where reading stopped, kept across restarts: a file followed again resumes there
   */
  public LogFollowService(
      LineHandler handler, Clock clock, LogSettings settings, LogOffsets offsets) {
    this(handler, clock, settings, offsets, NotifyingFileSystems::whyPolled);
  }

  /**
   * @param whyPolled why a directory must be polled rather than watched, or empty when it can be
   *     watched
   */
  LogFollowService(
      LineHandler handler,
      Clock clock,
      LogSettings settings,
      LogOffsets offsets,
      Function<Path, Optional<String>> whyPolled) {
    this.positions = new SavedPositions(offsets);
    this.handler = handler;
    this.clock = clock;
    this.settings = settings;
    this.whyPolled = whyPolled;
    long rounds =
        settings.safetyPollInterval().toMillis() / Math.max(1, settings.pollInterval().toMillis());
    this.safetyRounds = (int) Math.max(1, Math.min(rounds, 1_000_000));
  }

  /** Starts reading: the watcher (when notifications are on), then the rounds of polling. */
  public void start() {
    if (settings.notifications()) {
      try {
        DirectoryWatcher w = new DirectoryWatcher(this::changesArrived, whyPolled);
        w.start();
        watcher = w;
      } catch (IOException e) {
        log.warn(
            "file-system notifications are not available ({}); every log file is polled every {}",
            e.getMessage(),
            settings.pollInterval());
      }
    }
    long period = settings.pollInterval().toMillis();
    thread.scheduleWithFixedDelay(this::tickSafely, 0, period, TimeUnit.MILLISECONDS);
  }

  /** The current attempts of all unfinished jobs, from the latest scheduler poll. */
  public void update(List<ActiveAttempt> active) {
    Map<Long, ActiveAttempt> byJob = new LinkedHashMap<>();
    for (ActiveAttempt a : active) {
      byJob.put(a.jobId(), a);
    }
    latest = byJob;
  }

  /** Number of files followed now. */
  public int followedFiles() {
    return onThread(() -> jobs.values().stream().mapToInt(j -> j.files.size()).sum());
  }

  /** Number of directories whose changes are notified now. */
  public int watchedDirectories() {
    return onThread(() -> (int) dirs.values().stream().filter(LogDirectory::watched).count());
  }

  /** Number of directories polled now (no notifications there). */
  public int polledDirectories() {
    return onThread(() -> (int) dirs.values().stream().filter(d -> !d.watched()).count());
  }

  /**
   * Bytes written to the followed files and not read yet, as of each file's last read and the end
   * of the last round; for the metrics (any thread, never waits).
   */
  public long backlogBytes() {
    return backlog;
  }

  /** The number of files followed at the end of the last round; any thread, never waits. */
  public int filesFollowed() {
    return filesFollowed;
  }

  private int onThread(java.util.concurrent.Callable<Integer> count) {
    try {
      return thread.submit(count).get();
    } catch (Exception e) {
      return -1;
    }
  }

  private void tickSafely() {
    try {
      tick();
    } catch (RuntimeException e) {
      log.warn("log following failed this round; trying again: {}", e.toString());
    }
  }

  /**
   * One round: adopt new jobs, list directories that are due, read the files of polled directories
   * and the watched files whose turn of the safety poll it is, forget jobs long gone.
   */
  void tick() {
    Instant now = clock.instant();
    Map<Long, ActiveAttempt> active = latest;
    for (ActiveAttempt a : active.values()) {
      FollowedJob job = jobs.get(a.jobId());
      if (job == null) {
        if (!a.running()) {
          continue;
        }
        job = new FollowedJob(a.jobId());
        jobs.put(a.jobId(), job);
      }
      job.lastActive = now;
      boolean newRun =
          a.running()
              && job.attempt != null
              && (job.attempt.attemptIndex() != a.attemptIndex() || !job.attempt.running());
      if (!a.equals(job.attempt)) {
        job.attempt = a;
        attachDirectories(job);
      }
      if (newRun) {
        checkSharedFiles(job);
        reattributeStepLogs(job);
      }
    }
    // The safety poll is spread over the rounds: each reads the watched files (and lists the
    // watched directories) whose turn it is, so no round stalls the notified reads.
    int turn = (int) (round++ % safetyRounds);
    List<FollowedJob> due = new ArrayList<>();
    for (FollowedJob job : jobs.values()) {
      if (active.containsKey(job.jobId) && job.attempt.running() && scanDue(job, turn, now)) {
        due.add(job);
      }
    }
    scan(due, now);
    List<FollowedJob> gone = new ArrayList<>();
    for (FollowedJob job : jobs.values()) {
      for (FollowedFile f : job.files.values()) {
        if (f.fresh || !f.dir.watched() || f.slot == turn) {
          read(job, f, now);
        }
      }
      if (!active.containsKey(job.jobId)
          && Duration.between(job.lastActive, now).compareTo(settings.grace()) > 0) {
        for (FollowedFile f : job.files.values()) {
          f.follower.flush((text, n, at, cut) -> deliver(job, f, text, n, at, cut, now));
        }
        gone.add(job);
      }
    }
    for (FollowedJob job : gone) {
      forget(job);
    }
    measure();
    positions.saveIfDue(now, job -> jobs.get(job.jobId) == job);
  }

  /** Sums what {@link #backlogBytes} and {@link #filesFollowed} report. */
  private void measure() {
    long bytes = 0;
    int files = 0;
    for (FollowedJob job : jobs.values()) {
      for (FollowedFile f : job.files.values()) {
        bytes += f.follower.backlog();
        files++;
      }
    }
    backlog = bytes;
    filesFollowed = files;
  }

  /**
   * A new job is listed at once; a job whose directories are all watched when its first directory
   * has its turn of the safety poll; the others every {@code scanInterval}.
   */
  private boolean scanDue(FollowedJob job, int turn, Instant now) {
    if (job.lastScan.equals(Instant.EPOCH)) {
      return true;
    }
    LogDirectory first = null;
    for (Path p : job.dirs) {
      LogDirectory d = dirs.get(p);
      if (d == null || !d.watched()) {
        return Duration.between(job.lastScan, now).compareTo(settings.scanInterval()) >= 0;
      }
      first = first == null ? d : first;
    }
    return first == null || first.slot == turn;
  }

  /** Runs on the watcher's thread: schedules one drain of the collected changes. */
  private void changesArrived() {
    if (drainScheduled.compareAndSet(false, true)) {
      try {
        thread.execute(this::drainSafely);
      } catch (RuntimeException e) {
        drainScheduled.set(false); // closed
      }
    }
  }

  private void drainSafely() {
    try {
      drain();
    } catch (RuntimeException e) {
      log.warn("reading notified log files failed; the next poll reads them: {}", e.toString());
    }
  }

  /** Reads what the notifications named: changed files, created files, whole directories. */
  void drain() {
    drainScheduled.set(false);
    DirectoryWatcher w = watcher;
    if (w == null) {
      return;
    }
    Instant now = clock.instant();
    Map<Long, ActiveAttempt> active = latest;
    for (DirectoryWatcher.Changes c : w.drain()) {
      LogDirectory d = dirs.get(c.dir());
      if (d == null) {
        continue; // no longer followed
      }
      if (c.lost() && d.key != null) {
        log.debug("{} is no longer watched: polled from now on", d.path);
        d.key = null;
        d.retry = true;
      }
      if (c.everything()) {
        List<FollowedJob> users = new ArrayList<>();
        for (long id : d.jobIds) {
          FollowedJob job = jobs.get(id);
          if (job != null && active.containsKey(id) && job.attempt.running()) {
            users.add(job);
          }
        }
        scan(users, now);
        for (long id : d.jobIds) {
          FollowedJob job = jobs.get(id);
          if (job != null) {
            for (FollowedFile f : job.files.values()) {
              if (f.dir == d) {
                read(job, f, now);
              }
            }
          }
        }
        continue;
      }
      if (!c.created().isEmpty()) {
        adoptCreated(d, c.created(), active);
      }
      for (Path file : c.files()) {
        List<FollowedFile> followed = byPath.get(file);
        if (followed != null) {
          for (FollowedFile f : followed) {
            read(f.job, f, now);
          }
        }
      }
    }
  }

  /**
   * A step log taken while ajr still saw the previous attempt running (the job was requeued and
   * started again between two looks at Slurm, and the new attempt's file appeared first) belongs to
   * the new attempt when it was written since that attempt started; its next lines go there.
   */
  private void reattributeStepLogs(FollowedJob job) {
    ActiveAttempt a = job.attempt;
    for (FollowedFile f : job.files.values()) {
      if (f.attempt == FollowedFile.CURRENT_ATTEMPT || f.attempt >= a.attemptIndex()) {
        continue;
      }
      if (JobLogFiles.attemptOf(f.follower.path(), a.attemptIndex(), a.startTime())
          == a.attemptIndex()) {
        log.debug(
            "{} was written since attempt {} started: its lines belong to it",
            f.follower.path(),
            a.attemptIndex());
        f.attempt = a.attemptIndex();
      }
    }
  }

  /** Follows the files created in the directory that belong to a job using it. */
  private void adoptCreated(LogDirectory d, Set<Path> created, Map<Long, ActiveAttempt> active) {
    for (Path file : created) {
      List<Long> owners = JobLogFiles.owners(file.getFileName().toString(), d.jobIds);
      for (long id : d.jobIds) {
        FollowedJob job = jobs.get(id);
        if (job == null || !active.containsKey(id) || !job.attempt.running()) {
          continue;
        }
        ActiveAttempt a = job.attempt;
        boolean output = file.toString().equals(a.stdOut()) || file.toString().equals(a.stdErr());
        boolean stepLog = owners.contains(id) && d.path.equals(workDirOf(a));
        if ((output || stepLog) && Files.isRegularFile(file)) {
          follow(job, file);
        }
      }
    }
  }

  /** Standard output is reused by the next attempt: truncated, or appended to. */
  private void checkSharedFiles(FollowedJob job) {
    for (FollowedFile f : job.files.values()) {
      if (f.attempt == FollowedFile.CURRENT_ATTEMPT) {
        try {
          if (f.follower.checkRewritten()) {
            log.debug(
                "{} was rewritten for attempt {}", f.follower.path(), job.attempt.attemptIndex());
          }
        } catch (IOException e) {
          log.debug("cannot check {}: {}", f.follower.path(), e.toString());
        }
      }
    }
  }

  /** Looks for new files of the jobs, listing each working directory once. */
  private void scan(List<FollowedJob> due, Instant now) {
    Map<Path, Set<Long>> byWorkDir = new LinkedHashMap<>();
    for (FollowedJob job : due) {
      job.lastScan = now;
      Path workDir = workDirOf(job.attempt);
      if (workDir != null) {
        byWorkDir.computeIfAbsent(workDir, k -> new HashSet<>()).add(job.jobId);
      }
      retryWatches(job);
    }
    Map<Path, Map<Long, List<Path>>> found = new HashMap<>();
    byWorkDir.forEach((dir, ids) -> found.put(dir, JobLogFiles.find(dir, ids)));
    for (FollowedJob job : due) {
      ActiveAttempt a = job.attempt;
      List<Path> candidates = new ArrayList<>(outputsOf(a));
      Path workDir = workDirOf(a);
      if (workDir != null) {
        candidates.addAll(found.get(workDir).getOrDefault(job.jobId, List.of()));
      }
      for (Path path : candidates) {
        follow(job, path);
      }
    }
  }

  /** Starts following a file of the job, unless it is followed already or does not exist. */
  private void follow(FollowedJob job, Path path) {
    Path key = path.toAbsolutePath().normalize();
    if (job.files.containsKey(key) || !Files.exists(key)) {
      return;
    }
    ActiveAttempt a = job.attempt;
    boolean shared = key.toString().equals(a.stdOut()) || key.toString().equals(a.stdErr());
    int attempt =
        shared
            ? FollowedFile.CURRENT_ATTEMPT
            : JobLogFiles.attemptOf(key, a.attemptIndex(), a.startTime());
    FileFollower follower = new FileFollower(key, settings.maxLineBytes());
    Optional<LogOffsets.Saved> saved = positions.load(a.jobId(), key);
    if (saved.isPresent()) {
      try {
        if (follower.restore(saved.get().checkpoint())) {
          attempt = shared ? FollowedFile.CURRENT_ATTEMPT : saved.get().attempt();
        }
      } catch (IOException e) {
        log.debug("cannot resume {}: {}", key, e.toString());
      }
    }
    LogDirectory dir = attach(job, key.getParent());
    FollowedFile f = new FollowedFile(job, follower, attempt, dir, nextSlot());
    job.files.put(key, f);
    byPath.computeIfAbsent(key, k -> new ArrayList<>(1)).add(f);
    log.debug("following {} for job {} attempt {}", key, a.jobId(), attempt);
  }

  /** Watches (or polls) the directories the job's files are in or appear in. */
  private void attachDirectories(FollowedJob job) {
    ActiveAttempt a = job.attempt;
    Path workDir = workDirOf(a);
    if (workDir != null) {
      attach(job, workDir);
    }
    for (Path output : outputsOf(a)) {
      Path parent = output.toAbsolutePath().normalize().getParent();
      if (parent != null) {
        attach(job, parent);
      }
    }
  }

  private LogDirectory attach(FollowedJob job, Path dir) {
    LogDirectory d = dirs.get(dir);
    if (d == null) {
      d = new LogDirectory(dir, nextSlot());
      dirs.put(dir, d);
      register(d);
    }
    d.jobIds.add(job.jobId);
    job.dirs.add(dir);
    return d;
  }

  /** The round of the safety poll a new file or directory takes its turn in. */
  private int nextSlot() {
    nextSlot = (nextSlot + 1) % safetyRounds;
    return nextSlot;
  }

  private void register(LogDirectory d) {
    DirectoryWatcher w = watcher;
    if (w == null) {
      return;
    }
    if (!Files.isDirectory(d.path)) {
      d.retry = true; // not there yet: tried again when the job's directories are listed
      return;
    }
    d.retry = false;
    d.key = w.watch(d.path).orElse(null);
  }

  private void retryWatches(FollowedJob job) {
    for (Path p : job.dirs) {
      LogDirectory d = dirs.get(p);
      if (d != null && d.retry) {
        register(d);
      }
    }
  }

  /** Drops the job: its files, its positions and its share of the watched directories. */
  private void forget(FollowedJob job) {
    jobs.remove(job.jobId);
    for (Path file : job.files.keySet()) {
      List<FollowedFile> followed = byPath.get(file);
      if (followed != null) {
        followed.removeIf(f -> f.job == job);
        if (followed.isEmpty()) {
          byPath.remove(file);
        }
      }
    }
    for (Path p : job.dirs) {
      LogDirectory d = dirs.get(p);
      if (d != null && d.jobIds.remove(job.jobId) && d.jobIds.isEmpty()) {
        dirs.remove(p);
        DirectoryWatcher w = watcher;
        if (d.key != null && w != null) {
          w.cancel(d.key);
        }
      }
    }
    positions.forget(job.jobId);
  }

  private static Path workDirOf(ActiveAttempt a) {
    return a.workDir().isEmpty() ? null : Path.of(a.workDir()).toAbsolutePath().normalize();
  }

  /** The job's standard output and error, when known and resolved. */
  private static List<Path> outputsOf(ActiveAttempt a) {
    Set<Path> outputs = new LinkedHashSet<>();
    for (String output : List.of(a.stdOut(), a.stdErr())) {
      if (!output.isEmpty() && !output.contains("%")) {
        outputs.add(Path.of(output));
      }
    }
    return List.copyOf(outputs);
  }

  private void read(FollowedJob job, FollowedFile f, Instant now) {
    f.fresh = false;
    try {
      f.follower.poll(
          (text, line, at, cut) -> deliver(job, f, text, line, at, cut, now),
          settings.maxBytesPerPoll());
      positions.read(f);
    } catch (IOException e) {
      log.debug("cannot read {} now: {}", f.follower.path(), e.toString());
    }
  }

  private void deliver(
      FollowedJob job,
      FollowedFile f,
      String text,
      long lineNumber,
      Instant writtenAt,
      boolean truncated,
      Instant now) {
    ActiveAttempt a = job.attempt;
    int attempt = f.attempt;
    if (attempt == FollowedFile.CURRENT_ATTEMPT) {
      // A waiting attempt writes nothing: what comes in while the job waits (the end of a
      // requeued run) belongs to the attempt before.
      attempt = a.running() || a.attemptIndex() == 0 ? a.attemptIndex() : a.attemptIndex() - 1;
    }
    String node = a.nodes().size() == 1 ? a.nodes().get(0) : "";
    LogLine line =
        new LogLine(
            text,
            f.follower.path().toString(),
            lineNumber,
            writtenAt,
            now,
            truncated,
            Evidence.JOB_OUTPUT);
    try {
      handler.onLine(job.jobId, attempt, node, line);
    } catch (RuntimeException e) {
      log.warn("handling a line of job {} failed: {}", job.jobId, e.toString());
    }
  }

  @Override
  public void close() {
    DirectoryWatcher w = watcher;
    if (w != null) {
      w.close();
    }
    thread.shutdownNow();
  }
}
