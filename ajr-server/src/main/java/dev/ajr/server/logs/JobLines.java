package dev.ajr.server.logs;

import dev.ajr.core.detect.LogLine;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One job's lines that {@link LogFollowService} read and its {@link LineHandler} has not handled
 * yet, handled on a pool of threads that all jobs share.
 *
 * <p>Order: the handler gets this job's lines in the order {@link #add} got them, one call at a
 * time, never two at once (what it keeps per job needs no lock against itself and sees line numbers
 * grow); lines of different jobs are handled at the same time on different threads.
 *
 * <p>Fairness: a turn on the pool handles at most {@link #BATCH_LINES} lines or {@link
 * #BATCH_CHARS} characters of text (at least one line), then, when more are queued, the job goes
 * back to the end of the pool's queue (first in, first out), behind the other jobs waiting. A job
 * whose lines are slow to diagnose thus holds one thread for one batch at a time, and a line of
 * another job waits at most for one batch of each job whose turn came before its own, however much
 * those jobs have queued.
 *
 * <p>Back-pressure: {@link #room} tells the reader how much more it may queue; when there is no
 * room the job is held, its files are read no further (they keep what is not read), and {@code
 * roomFreed} is called once the queue has drained to half its bound, so the files are read on. The
 * lines queued take about their text and {@value #LINE_OVERHEAD} bytes each.
 *
 * <p>Positions: a {@link Handled} entry queued after the lines of a read sets its file's {@link
 * FollowedFile#handled} once those lines are handled; positions are saved from there, so a restart
 * reads again what was queued and not handled, and nothing is lost.
 *
 * <p>Thread-safe: entries are added by the follower thread and handled on the pool.
 */
final class JobLines {

  private static final Logger log = LoggerFactory.getLogger(LogFollowService.class);

  /** The most lines one turn on the pool handles. */
  static final int BATCH_LINES = 64;

  /** The most characters of text one turn on the pool handles, unless its first line is longer. */
  static final int BATCH_CHARS = 16 * 1024;

  /** The memory a queued line takes besides its text, about: the entry, the line and its string. */
  static final int LINE_OVERHEAD = 128;

  /** What is queued: a line to handle, or how far a file's lines have been handled. */
  sealed interface Entry permits Line, Handled {}

  /** A line of the job's output, for the attempt and the node it was read for. */
  record Line(int attempt, String node, LogLine line) implements Entry {

    /** About the bytes the line took in its file, with its newline. */
    long bytes() {
      return line.text().length() + 1L;
    }
  }

  /** The lines of {@code file} queued before this entry end where {@code upTo} resumes. */
  record Handled(FollowedFile file, FileFollower.Checkpoint upTo) implements Entry {}

  private final long jobId;
  private final LineHandler handler;
  private final Executor pool;
  private final long maxMemory;
  private final Runnable roomFreed;
  private final ArrayDeque<Entry> queue = new ArrayDeque<>();
  private long bytes;
  private long lines;
  private boolean scheduled; // a turn is waiting on the pool or running
  private boolean held; // the reader found no room: tell it when there is

  /**
   * @param maxMemory the memory the queued lines may take before the job is held
   * @param roomFreed called (on a pool thread) when a held job's queue has drained to half
   */
  JobLines(long jobId, LineHandler handler, Executor pool, long maxMemory, Runnable roomFreed) {
    this.jobId = jobId;
    this.handler = handler;
    this.pool = pool;
    this.maxMemory = maxMemory;
    this.roomFreed = roomFreed;
  }

  long jobId() {
    return jobId;
  }

  /** Queues the entries, in order, and makes sure the job has a turn on the pool. */
  void add(List<Entry> entries) {
    if (entries.isEmpty()) {
      return;
    }
    boolean start;
    synchronized (this) {
      for (Entry e : entries) {
        queue.add(e);
        if (e instanceof Line l) {
          bytes += l.bytes();
          lines++;
        }
      }
      start = !scheduled;
      scheduled = true;
    }
    if (start) {
      schedule();
    }
  }

  /**
   * How much more memory the job's queued lines may take now. None (0) holds the job: {@code
   * roomFreed} is called once its queue has drained to half, and it is read on then.
   */
  synchronized long room() {
    long room = maxMemory - memory();
    if (room > 0) {
      return room;
    }
    held = true;
    return 0;
  }

  /** Whether the reader found no room and waits for {@code roomFreed}. */
  synchronized boolean held() {
    return held;
  }

  /** About the bytes the queued lines took in their files. */
  synchronized long queuedBytes() {
    return bytes;
  }

  /** Whether nothing is queued and no turn waits or runs. */
  synchronized boolean idle() {
    return !scheduled;
  }

  /** The memory a line queued takes, about. */
  static long memoryOf(Line line) {
    return line.bytes() + LINE_OVERHEAD;
  }

  private long memory() {
    return bytes + lines * LINE_OVERHEAD;
  }

  private void schedule() {
    try {
      pool.execute(this::turn);
    } catch (RejectedExecutionException e) {
      // Closed: what is queued is not handled, and read again after a restart.
      synchronized (this) {
        scheduled = false;
      }
    }
  }

  /** One turn on the pool: handles a batch, then queues the job behind the others if need be. */
  private void turn() {
    List<Entry> batch = take();
    try {
      for (Entry e : batch) {
        if (Thread.currentThread().isInterrupted()) {
          break; // closing: the rest is read again after a restart
        }
        switch (e) {
          case Line l -> handle(l);
          case Handled h -> h.file().handled = h.upTo();
        }
      }
    } finally {
      finish(batch);
    }
  }

  private synchronized List<Entry> take() {
    List<Entry> batch = new ArrayList<>();
    int count = 0;
    long chars = 0;
    while (!queue.isEmpty()) {
      Entry next = queue.peek();
      if (next instanceof Line l) {
        if (count >= BATCH_LINES || chars >= BATCH_CHARS) {
          break;
        }
        count++;
        chars += l.line().text().length();
      }
      batch.add(queue.poll());
    }
    return batch;
  }

  private void handle(Line l) {
    try {
      handler.onLine(jobId, l.attempt(), l.node(), l.line());
    } catch (RuntimeException e) {
      log.warn("handling a line of job {} failed: {}", jobId, e.toString());
    }
  }

  private void finish(List<Entry> batch) {
    boolean again;
    boolean freed;
    synchronized (this) {
      for (Entry e : batch) {
        if (e instanceof Line l) {
          bytes -= l.bytes();
          lines--;
        }
      }
      again = !queue.isEmpty();
      scheduled = again;
      freed = held && memory() <= maxMemory / 2;
      if (freed) {
        held = false;
      }
    }
    if (freed) {
      roomFreed.run();
    }
    if (again) {
      schedule();
    }
  }
}
