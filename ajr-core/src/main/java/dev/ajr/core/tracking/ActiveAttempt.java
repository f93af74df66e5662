package dev.ajr.core.tracking;

import java.time.Instant;
import java.util.List;

/**
 * The current attempt of a job that is not finished: what the log follower needs to find and read
 * its output.
 *
 * @param running true while the attempt runs; false while it waits (for example requeued held)
 * @param startTime when the attempt started, or null while it waits
 */
public record ActiveAttempt(
    long jobId,
    int attemptIndex,
    boolean running,
    String workDir,
    String stdOut,
    String stdErr,
    List<String> nodes,
    Instant startTime) {

  public ActiveAttempt {
    nodes = List.copyOf(nodes);
  }
}
