package dev.ajr.server.ingest;

import dev.ajr.core.detect.Evidence;
import dev.ajr.core.detect.LogLine;
import dev.ajr.server.metrics.IngestMeter;
import java.time.Clock;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * Takes in what node agents send: checks the batch, lets each line through once ({@link
 * StreamGate}) and hands it to the {@link LineRouter}.
 *
 * <p>Contract: {@link #accept} returns only after every new line was handled (classified, its
 * anomaly stored) and the streams' positions recorded, so the agent may forget what the
 * acknowledgement covers. A batch that breaks the rules is refused whole with an {@link
 * IllegalArgumentException} whose message tells the sender what is wrong; nothing of it is taken.
 * Kernel lines are trusted evidence (the agent's token vouches for them); job output is not.
 * Thread-safe.
 */
public final class AgentIngest {

  /** Node names as Slurm allows them. */
  private static final Pattern NODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private static final int MAX_STREAM_CHARS = 4096;
  private static final int MAX_GENERATION_CHARS = 64;

  private final StreamGate gate;
  private final LineRouter router;
  private final Clock clock;
  private final int maxLineChars;
  private final IngestMeter meter;

  /**
   * @param maxLineChars lines longer than this are cut (and marked truncated), whatever the agent
   *     sent
   */
  public AgentIngest(StreamGate gate, LineRouter router, Clock clock, int maxLineChars) {
    this(gate, router, clock, maxLineChars, IngestMeter.NONE);
  }

  /**
   * @param meter told of every new line taken in
   */
  public AgentIngest(
      StreamGate gate, LineRouter router, Clock clock, int maxLineChars, IngestMeter meter) {
    this.gate = gate;
    this.router = router;
    this.clock = clock;
    this.maxLineChars = maxLineChars;
    this.meter = meter;
  }

  public AgentBatch.Ack accept(AgentBatch batch) {
    check(batch);
    StreamGate.Admitted total = new StreamGate.Admitted(0, 0);
    for (AgentBatch.Stream s : batch.streams()) {
      total =
          total.plus(
              gate.admit(
                  batch.node(),
                  s.stream(),
                  s.generation(),
                  s.lines(),
                  AgentBatch.Line::position,
                  line -> route(batch.node(), s, line)));
    }
    return new AgentBatch.Ack(total.accepted(), total.duplicates());
  }

  private void route(String node, AgentBatch.Stream s, AgentBatch.Line line) {
    Instant now = clock.instant();
    String text = line.text() == null ? "" : line.text();
    boolean cut = line.truncated() || text.length() > maxLineChars;
    if (text.length() > maxLineChars) {
      text = text.substring(0, maxLineChars);
    }
    if (s.kind() == Evidence.KERNEL_LOG) {
      String source = node + ":" + s.stream();
      LogLine kernel =
          new LogLine(text, source, line.position(), line.writtenAt(), now, cut, s.kind());
      meter.took(kernel);
      router.kernelLine(node, kernel);
    } else {
      LogLine output =
          new LogLine(text, s.stream(), line.position(), line.writtenAt(), now, cut, s.kind());
      meter.took(output);
      router.jobLine(s.jobId(), s.attempt(), s.nodeLocal() ? node : "", output);
    }
  }

  private static void check(AgentBatch batch) {
    if (batch == null || batch.node() == null || !NODE.matcher(batch.node()).matches()) {
      throw new IllegalArgumentException(
          "\"node\" must be the agent's node name (letters, digits, '.', '_', '-'; at most 128)");
    }
    if (batch.streams() == null) {
      throw new IllegalArgumentException("\"streams\" is missing");
    }
    for (AgentBatch.Stream s : batch.streams()) {
      if (s == null || s.stream() == null || s.stream().isEmpty()) {
        throw new IllegalArgumentException("every stream needs a \"stream\" name");
      }
      String name = s.stream();
      if (name.length() > MAX_STREAM_CHARS) {
        throw new IllegalArgumentException(
            "stream name longer than " + MAX_STREAM_CHARS + " characters");
      }
      if (s.kind() != Evidence.JOB_OUTPUT && s.kind() != Evidence.KERNEL_LOG) {
        throw new IllegalArgumentException(
            "stream " + name + ": \"kind\" must be JOB_OUTPUT or KERNEL_LOG");
      }
      if (s.kind() == Evidence.JOB_OUTPUT && s.jobId() <= 0) {
        throw new IllegalArgumentException("stream " + name + ": job output needs its \"jobId\"");
      }
      if (s.generation() == null || s.generation().length() > MAX_GENERATION_CHARS) {
        throw new IllegalArgumentException(
            "stream "
                + name
                + ": \"generation\" is required, at most "
                + MAX_GENERATION_CHARS
                + " characters");
      }
      if (s.lines() == null) {
        throw new IllegalArgumentException("stream " + name + ": \"lines\" is missing");
      }
      long previous = Long.MIN_VALUE;
      for (AgentBatch.Line line : s.lines()) {
        if (line == null || line.position() <= previous) {
          throw new IllegalArgumentException(
              "stream " + name + ": line positions must grow along the list");
        }
        previous = line.position();
      }
    }
  }
}
