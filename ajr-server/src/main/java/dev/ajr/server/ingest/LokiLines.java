package dev.ajr.server.ingest;

import dev.ajr.core.detect.Evidence;
import dev.ajr.core.detect.LogLine;
import dev.ajr.server.ingest.loki.LokiEntry;
import dev.ajr.server.ingest.loki.LokiStream;
import dev.ajr.server.metrics.IngestMeter;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns Loki entries (pushed to {@code /loki/api/v1/push} or read from Loki) into lines of jobs and
 * nodes, by their stream's labels ({@link StreamLabels}).
 *
 * <p>Contract: a stream marked as a kernel log whose labels name the node gives trusted kernel
 * lines of that node; any other stream is job output, tied to the job its labels name, or to the
 * active job whose file its file label is; the attempt is the one that ran when the entry was
 * stamped. Entries that can be tied to nothing are counted and dropped. A pushed request is let
 * through once per stream ({@link StreamGate}, keyed by the full label set and the entry's
 * timestamp): a shipper retrying a request repeats nothing; entries stamped at or before the newest
 * already taken from that stream count as already seen, as in Loki's own ordering rule.
 * Thread-safe.
 */
public final class LokiLines {

  private static final Logger log = LoggerFactory.getLogger(LokiLines.class);

  private final LineRouter router;
  private final StreamGate gate;
  private final StreamLabels labels;
  private final Clock clock;
  private final AtomicLong unmatched = new AtomicLong();
  private final IngestMeter pushed;
  private final IngestMeter queried;

  public LokiLines(LineRouter router, StreamGate gate, StreamLabels labels, Clock clock) {
    this(router, gate, labels, clock, IngestMeter.NONE, IngestMeter.NONE);
  }

  /**
   * @param pushed told of every new line of a push
   * @param queried told of every line {@link #entry} is given (ajr's own queries of Loki)
   */
  public LokiLines(
      LineRouter router,
      StreamGate gate,
      StreamLabels labels,
      Clock clock,
      IngestMeter pushed,
      IngestMeter queried) {
    this.router = router;
    this.gate = gate;
    this.labels = labels;
    this.clock = clock;
    this.pushed = pushed;
    this.queried = queried;
  }

  /** A pushed request, from {@code sender} (the tenant). */
  public StreamGate.Admitted push(String sender, List<LokiStream> streams) {
    StreamGate.Admitted total = new StreamGate.Admitted(0, 0);
    for (LokiStream stream : streams) {
      List<Positioned> entries = new ArrayList<>(stream.entries().size());
      long previous = Long.MIN_VALUE;
      for (LokiEntry e : stream.entries()) {
        // Entries of one stream at one nanosecond are kept apart by a nanosecond each.
        long position =
            previous == Long.MIN_VALUE
                ? e.timestampNanos()
                : Math.max(e.timestampNanos(), previous + 1);
        entries.add(new Positioned(position, e));
        previous = position;
      }
      total =
          total.plus(
              gate.admit(
                  sender,
                  canonical(stream.labels()),
                  "",
                  entries,
                  Positioned::position,
                  p -> take(stream.labels(), p.entry, null, pushed)));
    }
    return total;
  }

  private record Positioned(long position, LokiEntry entry) {}

  /**
   * One entry.
   *
   * @param writtenAt when the line says it was written, or null to take the entry's timestamp
   * @return false when it could be tied to no job or node
   */
  public boolean entry(Map<String, String> streamLabels, LokiEntry e, Instant writtenAt) {
    return take(streamLabels, e, writtenAt, queried);
  }

  private boolean take(
      Map<String, String> streamLabels, LokiEntry e, Instant writtenAt, IngestMeter meter) {
    Instant stamped = Instant.ofEpochSecond(0, e.timestampNanos());
    Instant written = writtenAt != null ? writtenAt : stamped;
    String node = StreamLabels.first(streamLabels, labels.nodeLabels());
    String file = streamLabels.getOrDefault(labels.fileLabel(), "");
    Instant now = clock.instant();
    if (labels.isKernel(streamLabels)) {
      if (node.isEmpty()) {
        return dropped("a kernel stream without a node label", streamLabels);
      }
      String source = node + ":" + (file.isEmpty() ? "kernel" : file);
      LogLine kernel =
          new LogLine(
              e.line(),
              source,
              e.timestampNanos(),
              written,
              now,
              e.truncated(),
              Evidence.KERNEL_LOG);
      meter.took(kernel);
      router.kernelLine(node, kernel);
      return true;
    }
    long jobId = jobId(streamLabels, file);
    if (jobId <= 0) {
      return dropped("a stream that names no job ajr follows", streamLabels);
    }
    String source = file.isEmpty() ? canonical(streamLabels) : file;
    LogLine output =
        new LogLine(
            e.line(), source, e.timestampNanos(), written, now, e.truncated(), Evidence.JOB_OUTPUT);
    meter.took(output);
    return router.jobLineAt(jobId, node, output);
  }

  private long jobId(Map<String, String> streamLabels, String file) {
    String id = StreamLabels.first(streamLabels, labels.jobLabels());
    if (!id.isEmpty()) {
      try {
        return Long.parseLong(id);
      } catch (NumberFormatException e) {
        return 0;
      }
    }
    return file.isEmpty() ? 0 : router.jobOfFile(file);
  }

  private boolean dropped(String what, Map<String, String> streamLabels) {
    if (unmatched.incrementAndGet() % 10_000 == 1) {
      log.info(
          "Loki entries of {} are dropped ({} so far), e.g. {}",
          what,
          unmatched.get(),
          canonical(streamLabels));
    }
    return false;
  }

  /** Entries that could be tied to no job or node. */
  public long unmatched() {
    return unmatched.get();
  }

  /** The label set in Loki's notation, sorted by name: a stream's identity. */
  static String canonical(Map<String, String> labels) {
    StringBuilder out = new StringBuilder("{");
    for (Map.Entry<String, String> e : new TreeMap<>(labels).entrySet()) {
      if (out.length() > 1) {
        out.append(", ");
      }
      out.append(e.getKey())
          .append("=\"")
          .append(e.getValue().replace("\\", "\\\\").replace("\"", "\\\""))
          .append('"');
    }
    return out.append('}').toString();
  }
}
