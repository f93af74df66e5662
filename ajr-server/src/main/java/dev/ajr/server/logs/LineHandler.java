package dev.ajr.server.logs;

import dev.ajr.core.detect.LogLine;

/** Receives every line read from a job's output. Called from the follower's thread. */
@FunctionalInterface
public interface LineHandler {

  /**
   * @param node the node the line is attributed to, or empty when unknown
   */
  void onLine(long jobId, int attemptIndex, String node, LogLine line);
}
