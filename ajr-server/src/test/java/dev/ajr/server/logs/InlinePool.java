package dev.ajr.server.logs;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/**
 * Runs each task on the thread that hands it over, at once, or, when handed over by a task that
 * runs, right after that one (in order, without growing the stack). A follower given it handles
 * every line before {@code tick} returns, as when it handled lines on its own thread.
 */
final class InlinePool implements Executor {

  private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
  private boolean running;

  @Override
  public void execute(Runnable task) {
    waiting.add(task);
    if (running) {
      return;
    }
    running = true;
    try {
      Runnable next;
      while ((next = waiting.poll()) != null) {
        next.run();
      }
    } finally {
      running = false;
    }
  }
}
