package dev.ajr.server.ingest;

import dev.ajr.core.detect.LogLine;
import dev.ajr.core.tracking.ActiveAttempt;
import dev.ajr.server.logs.JobLogFiles;
import dev.ajr.server.logs.LineHandler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.LongFunction;

/**
 * Ties lines that arrive from outside (node agents, shippers) to the job attempt they belong to,
 * and tells agents which jobs run on their node.
 *
 * <p>Contract: a job output line goes to the attempt its sender names, or, for output shared by all
 * attempts (standard output, which Slurm reuses after a requeue), to the attempt running when the
 * line arrives, or to the one before while the job waits (the end of a requeued run), or, for a job
 * no longer active, to its last attempt. A kernel line goes to every attempt that ran on its node
 * when the line was written (a few seconds either side, so the Xid that killed a job a moment ago
 * still reaches it); a kernel line that reaches no attempt is reported to {@code unattributed}.
 * Attempts are remembered for {@link #REMEMBER} after they leave the active list. Thread-safe.
 */
public final class LineRouter {

  /** How long an attempt that stopped being active can still receive lines. */
  public static final Duration REMEMBER = Duration.ofMinutes(2);

  private static final Duration BEFORE_START = Duration.ofSeconds(2);
  private static final Duration AFTER_END = Duration.ofSeconds(5);
  private static final int WINDOWS_PER_JOB = 3;

  /** A job attempt an agent should read the output of. */
  public record Assignment(
      long jobId,
      int attempt,
      boolean batchHost,
      String stdOut,
      String stdErr,
      String workDir,
      Instant startTime) {}

  /** When an attempt ran where: {@code to} is null while it runs. */
  private record Window(int attempt, List<String> nodes, Instant from, Instant to) {

    boolean covers(String node, Instant t) {
      return nodes.contains(node)
          && !t.isBefore(from.minus(BEFORE_START))
          && (to == null || !t.isAfter(to.plus(AFTER_END)));
    }
  }

  private static final class Seen {
    ActiveAttempt latest;
    Instant lastSeen;
    long lastRound;
    final List<Window> windows = new ArrayList<>();
  }

  /** Receives a kernel line that ran into no job: node evidence on its own. */
  @FunctionalInterface
  public interface Unattributed {
    void onKernelLine(String node, LogLine line);
  }

  private final LineHandler handler;
  private final LongFunction<OptionalInt> lastKnownAttempt;
  private final Unattributed unattributed;
  private final Clock clock;
  private final Map<Long, Seen> jobs = new HashMap<>();
  private long round;

  /**
   * @param lastKnownAttempt the latest attempt the store knows of a job, for lines of jobs that
   *     ended longer ago than {@link #REMEMBER}
   */
  public LineRouter(
      LineHandler handler,
      LongFunction<OptionalInt> lastKnownAttempt,
      Unattributed unattributed,
      Clock clock) {
    this.handler = handler;
    this.lastKnownAttempt = lastKnownAttempt;
    this.unattributed = unattributed;
    this.clock = clock;
  }

  /** The current attempts of all unfinished jobs, after each scheduler read. */
  public synchronized void update(List<ActiveAttempt> active) {
    Instant now = clock.instant();
    round++;
    for (ActiveAttempt a : active) {
      Seen seen = jobs.computeIfAbsent(a.jobId(), id -> new Seen());
      seen.latest = a;
      seen.lastSeen = now;
      seen.lastRound = round;
      Window open = openWindow(seen);
      if (open != null && (open.attempt != a.attemptIndex() || !a.running())) {
        close(seen, open, now);
        open = null;
      }
      if (a.running() && open == null) {
        Instant from = a.startTime() != null ? a.startTime() : now;
        seen.windows.add(new Window(a.attemptIndex(), a.nodes(), from, null));
        if (seen.windows.size() > WINDOWS_PER_JOB) {
          seen.windows.remove(0);
        }
      }
    }
    for (Iterator<Map.Entry<Long, Seen>> it = jobs.entrySet().iterator(); it.hasNext(); ) {
      Seen seen = it.next().getValue();
      if (seen.lastRound == round) {
        continue;
      }
      Window open = openWindow(seen);
      if (open != null) {
        close(seen, open, seen.lastSeen);
      }
      if (Duration.between(seen.lastSeen, now).compareTo(REMEMBER) > 0) {
        it.remove();
      }
    }
  }

  private static Window openWindow(Seen seen) {
    if (seen.windows.isEmpty()) {
      return null;
    }
    Window last = seen.windows.get(seen.windows.size() - 1);
    return last.to == null ? last : null;
  }

  private static void close(Seen seen, Window open, Instant at) {
    seen.windows.set(seen.windows.size() - 1, new Window(open.attempt, open.nodes, open.from, at));
  }

  /**
   * Hands a line of a job's output on.
   *
   * @param attempt the attempt the sender attributes the line to, or -1 for output shared by all
   *     attempts
   * @param node the node the line is known to come from, or empty
   * @return false when the job is unknown, so the line cannot be attributed
   */
  public boolean jobLine(long jobId, int attempt, String node, LogLine line) {
    int target = attempt >= 0 ? attempt : currentAttempt(jobId);
    if (target < 0) {
      return false;
    }
    handler.onLine(jobId, target, node, line);
    return true;
  }

  private int currentAttempt(long jobId) {
    synchronized (this) {
      Seen seen = jobs.get(jobId);
      if (seen != null) {
        ActiveAttempt a = seen.latest;
        // A waiting attempt writes nothing: what arrives while the job waits is the end of the run
        // before.
        return a.running() || a.attemptIndex() == 0 ? a.attemptIndex() : a.attemptIndex() - 1;
      }
    }
    return lastKnownAttempt.apply(jobId).orElse(-1);
  }

  /**
   * Hands on a line of a job's output that carries the time it was written (a Loki entry), to the
   * attempt that ran then; lines read long after they were written (Loki's query delay) still reach
   * the right attempt when the job has moved on.
   *
   * @return false when the job is unknown
   */
  public boolean jobLineAt(long jobId, String node, LogLine line) {
    Instant t = line.writtenAt() != null ? line.writtenAt() : line.readAt();
    int attempt = -1;
    synchronized (this) {
      Seen seen = jobs.get(jobId);
      if (seen != null) {
        for (Window w : seen.windows) {
          if (!t.isBefore(w.from.minus(BEFORE_START))
              && (w.to == null || !t.isAfter(w.to.plus(AFTER_END)))) {
            attempt = w.attempt; // the latest window that covers t wins
          }
        }
      }
    }
    return jobLine(jobId, attempt, node, line);
  }

  /**
   * The job a file belongs to, by its path: the standard output or error of an active job, or a
   * step log (the job id as a token in its name) in an active job's working directory; 0 when none.
   */
  public long jobOfFile(String path) {
    int slash = path.lastIndexOf('/');
    String dir = slash < 0 ? "" : path.substring(0, slash);
    String name = path.substring(slash + 1);
    synchronized (this) {
      for (Seen seen : jobs.values()) {
        ActiveAttempt a = seen.latest;
        if (path.equals(a.stdOut()) || path.equals(a.stdErr())) {
          return a.jobId();
        }
      }
      for (Seen seen : jobs.values()) {
        ActiveAttempt a = seen.latest;
        if (dir.equals(a.workDir()) && JobLogFiles.belongsTo(name, a.jobId())) {
          return a.jobId();
        }
      }
    }
    return 0;
  }

  /**
   * Hands a node's kernel line to every attempt that ran on the node when it was written.
   *
   * @return how many attempts it went to
   */
  public int kernelLine(String node, LogLine line) {
    Instant t = line.writtenAt() != null ? line.writtenAt() : line.readAt();
    List<long[]> targets = new ArrayList<>();
    synchronized (this) {
      for (Map.Entry<Long, Seen> e : jobs.entrySet()) {
        for (Window w : e.getValue().windows) {
          if (w.covers(node, t)) {
            targets.add(new long[] {e.getKey(), w.attempt});
          }
        }
      }
    }
    for (long[] target : targets) {
      handler.onLine(target[0], (int) target[1], node, line);
    }
    if (targets.isEmpty()) {
      unattributed.onKernelLine(node, line);
    }
    return targets.size();
  }

  /** The running attempts on the node, for its agent. */
  public synchronized List<Assignment> assignments(String node) {
    List<Assignment> out = new ArrayList<>();
    for (Map.Entry<Long, Seen> e : jobs.entrySet()) {
      Seen seen = e.getValue();
      ActiveAttempt a = seen.latest;
      if (openWindow(seen) == null || !a.nodes().contains(node)) {
        continue;
      }
      out.add(
          new Assignment(
              a.jobId(),
              a.attemptIndex(),
              a.nodes().get(0).equals(node),
              a.stdOut(),
              a.stdErr(),
              a.workDir(),
              a.startTime()));
    }
    out.sort((x, y) -> Long.compare(x.jobId(), y.jobId()));
    return out;
  }
}
