package dev.ajr.server.agent;

import dev.ajr.core.detect.Evidence;
import dev.ajr.server.ingest.AgentBatch;
import dev.ajr.server.logs.FileFollower;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One file the agent ships: a job's output or a kernel log file. Reads new lines into pending
 * stream entries; a truncated, rotated or rewritten file starts a new generation, so the server
 * takes its lines as new even though their numbers start again.
 */
final class FollowedStream {

  final FileFollower follower;
  final Evidence kind;
  final long jobId;
  final int attempt;
  final boolean nodeLocal;
  long rewrites;
  long lastLine;
  Instant lastAssigned;
  int lastAttemptSeen = -1;

  FollowedStream(
      Path path, int maxLineBytes, Evidence kind, long jobId, int attempt, boolean nodeLocal) {
    this.follower = new FileFollower(path, maxLineBytes);
    this.kind = kind;
    this.jobId = jobId;
    this.attempt = attempt;
    this.nodeLocal = nodeLocal;
  }

  String name() {
    return follower.path().toString();
  }

  /** The generation the server keys positions by: the job, and how often the file began anew. */
  String generation() {
    return (kind == Evidence.KERNEL_LOG ? "file" : "job" + jobId) + "." + rewrites;
  }

  /** Reads what is new, up to {@code maxBytes}; each run of lines of one generation is an entry. */
  List<AgentBatch.Stream> read(int maxBytes) throws IOException {
    List<AgentBatch.Stream> out = new ArrayList<>();
    List<AgentBatch.Line> lines = new ArrayList<>();
    String[] generation = {generation()};
    follower.poll(
        (text, n, at, cut) -> {
          if (n <= lastLine) {
            // The follower started the file again: a new generation.
            if (!lines.isEmpty()) {
              out.add(entry(generation[0], List.copyOf(lines)));
              lines.clear();
            }
            rewrites++;
            generation[0] = generation();
          }
          lastLine = n;
          lines.add(new AgentBatch.Line(n, text, at, cut));
        },
        maxBytes);
    if (!lines.isEmpty()) {
      out.add(entry(generation[0], lines));
    }
    return out;
  }

  /** The partial last line, once the stream is given up. */
  List<AgentBatch.Stream> flush() {
    List<AgentBatch.Line> lines = new ArrayList<>();
    follower.flush((text, n, at, cut) -> {
      lastLine = n;
      lines.add(new AgentBatch.Line(n, text, at, cut));
    });
    return lines.isEmpty() ? List.of() : List.of(entry(generation(), lines));
  }

  /** Notices a file rewritten for a new attempt even when it did not get shorter. */
  void checkRewritten() throws IOException {
    if (follower.checkRewritten()) {
      rewrites++;
      lastLine = 0;
    }
  }

  private AgentBatch.Stream entry(String generation, List<AgentBatch.Line> lines) {
    return new AgentBatch.Stream(name(), kind, jobId, attempt, nodeLocal, generation, lines);
  }

  AgentState.FileStream saved() {
    FileFollower.Checkpoint c = follower.checkpoint();
    return new AgentState.FileStream(
        name(),
        kind.name(),
        jobId,
        attempt,
        nodeLocal,
        rewrites,
        c.resumeAt(),
        c.lineNumber(),
        c.headLength(),
        c.headCrc());
  }

  /** A stream resumed from the saved state; from its start when the file changed meanwhile. */
  static FollowedStream restore(AgentState.FileStream s, int maxLineBytes) throws IOException {
    FollowedStream stream =
        new FollowedStream(
            Path.of(s.path()),
            maxLineBytes,
            Evidence.valueOf(s.kind()),
            s.jobId(),
            s.attempt(),
            s.nodeLocal());
    stream.rewrites = s.rewrites();
    boolean resumed =
        stream.follower.restore(
            new FileFollower.Checkpoint(s.resumeAt(), s.lineNumber(), s.headLength(), s.headCrc()));
    if (resumed) {
      stream.lastLine = s.lineNumber();
    } else {
      stream.rewrites++;
    }
    return stream;
  }
}
