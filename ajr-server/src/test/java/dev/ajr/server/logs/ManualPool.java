package dev.ajr.server.logs;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/** Keeps the tasks handed over until the test runs them, first come, first served. */
final class ManualPool implements Executor {

  private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();

  @Override
  public synchronized void execute(Runnable task) {
    waiting.add(task);
  }

  /** Runs the oldest task waiting; false when none waits. */
  boolean runOne() {
    Runnable next;
    synchronized (this) {
      next = waiting.poll();
    }
    if (next == null) {
      return false;
    }
    next.run();
    return true;
  }

  /** Runs tasks, those they hand over included, until none waits. */
  void runAll() {
    while (runOne()) {
      // the next
    }
  }

  synchronized int waiting() {
    return waiting.size();
  }
}
