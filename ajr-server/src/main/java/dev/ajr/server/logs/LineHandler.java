package dev.ajr.server.logs;

import dev.ajr.core.detect.LogLine;

/**
 * Receives every line read from a job's output.
 *
 * <p>Threads: implementations are thread-safe. The log follower calls it on its handler threads
 * ({@code ajr-line-handler-N}, see {@link LogFollowService}): one job's lines in the order they
 * were read and one at a time, different jobs' lines at the same time. What the server's handler
 * keeps per output relies on that order (the excerpt ring starts again when line numbers go back;
 * the repeat counters and the progress monitor count forward). Node agents and Loki call it on
 * their own threads, so a job whose output comes by several paths can be handled on two threads at
 * once, each path in its own order.
 */
@FunctionalInterface
public interface LineHandler {

  /**
   * @param node the node the line is attributed to, or empty when unknown
   */
  void onLine(long jobId, int attemptIndex, String node, LogLine line);
}
