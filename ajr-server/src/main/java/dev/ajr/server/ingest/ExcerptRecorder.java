package dev.ajr.server.ingest;

import dev.ajr.core.detect.Anomaly;
import dev.ajr.core.detect.Excerpt;
import dev.ajr.core.detect.ExcerptLine;
import dev.ajr.core.detect.LogLine;
import dev.ajr.core.event.AjrEvent;
import dev.ajr.core.event.EventSink;
import dev.ajr.core.store.RecoveryStore;
import dev.ajr.core.tracking.ActiveAttempt;
import dev.ajr.server.logs.LineHandler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the log excerpt around each anomaly's root line: the {@link Excerpt#LINES_BEFORE} lines
 * before it, the root line, and the next {@link Excerpt#LINES_AFTER} lines of the same stream.
 *
 * <p>Contract: {@link #onLine} sees every line of every stream (a job's file, an agent's stream, a
 * Loki stream; all pass through the server's {@link LineHandler}) before it is classified, and
 * keeps the last {@link Excerpt#LINES_BEFORE} + 1 lines per stream (job, node, source) in a {@link
 * RecentLines} ring. When an anomaly is stored ({@link AjrEvent.AnomalyDetected}, delivered on the
 * thread that stored it right after the commit) its excerpt is stored: the lines of its stream
 * before the root line, the root line, and those after it that arrived already; each further line
 * of that stream arriving within {@link #FOLLOW_FOR} is appended (one store write per line) until
 * the excerpt has {@link Excerpt#LINES_AFTER} lines after the root. An anomaly whose stream is not
 * held (ajr's own hang and straggler findings) gets its root line alone.
 *
 * <p>Bounded memory: at most {@link #MAX_STREAMS} streams are held (the least recently written is
 * forgotten first), each at most {@code 9 × 500} characters and {@link #MAX_FOLLOWING} anomalies
 * waiting for lines after them: at most about 9.2 million characters (under 20 MB) in all. A job's
 * streams are forgotten {@link LineRouter#REMEMBER} after it was last active ({@link #update}), so
 * late lines of a job that just ended still find their context. Thread-safe; store failures are
 * logged and never stop a line from being handled.
 */
public final class ExcerptRecorder implements EventSink {

  private static final Logger log = LoggerFactory.getLogger(ExcerptRecorder.class);

  /** The most streams held at once. */
  public static final int MAX_STREAMS = 2048;

  /** How long lines after a root line are waited for. */
  public static final Duration FOLLOW_FOR = Duration.ofSeconds(30);

  /** The most anomalies of one stream waiting for lines after them; older ones stop waiting. */
  public static final int MAX_FOLLOWING = 8;

  private record StreamKey(long jobId, String node, String source) {}

  /** An anomaly waiting for the lines after its root line. */
  private static final class Following {
    final long anomalyId;
    final Instant until;
    long last;
    int missing;

    Following(long anomalyId, long last, int missing, Instant until) {
      this.anomalyId = anomalyId;
      this.last = last;
      this.missing = missing;
      this.until = until;
    }
  }

  private static final class Stream {
    final RecentLines recent = new RecentLines(Excerpt.LINES_BEFORE + 1);
    final List<Following> following = new ArrayList<>();
  }

  private final RecoveryStore store;
  private final Clock clock;
  private final Map<StreamKey, Stream> streams =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<StreamKey, Stream> eldest) {
          return size() > MAX_STREAMS;
        }
      };
  private final Map<Long, Instant> lastActive = new HashMap<>();

  public ExcerptRecorder(RecoveryStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** A handler that shows each line to this recorder, then hands it to {@code next}. */
  public LineHandler before(LineHandler next) {
    return (jobId, attempt, node, line) -> {
      onLine(jobId, attempt, node, line);
      next.onLine(jobId, attempt, node, line);
    };
  }

  /**
   * Keeps the line in its stream's ring and appends it to the excerpts waiting for it; call before
   * the line is classified.
   *
   * @param node the node the line came from, or empty when unknown (a shared file system)
   */
  public synchronized void onLine(long jobId, int attemptIndex, String node, LogLine line) {
    Instant now = clock.instant();
    lastActive.putIfAbsent(jobId, now);
    StreamKey key = new StreamKey(jobId, node == null ? "" : node, line.source());
    Stream stream = streams.computeIfAbsent(key, k -> new Stream());
    if (!stream.recent.add(line.lineNumber(), line.text())) {
      stream.following.clear(); // the source started again: what follows is another run's
    }
    for (Iterator<Following> it = stream.following.iterator(); it.hasNext(); ) {
      Following f = it.next();
      if (now.isAfter(f.until)) {
        it.remove();
        continue;
      }
      if (line.lineNumber() <= f.last) {
        continue;
      }
      f.last = line.lineNumber();
      f.missing--;
      if (f.missing <= 0) {
        it.remove();
      }
      write(f.anomalyId, List.of(new ExcerptLine(line.lineNumber(), line.text(), false)));
    }
  }

  @Override
  public void publish(AjrEvent event) {
    if (event instanceof AjrEvent.AnomalyDetected detected) {
      onAnomaly(detected.anomaly());
    }
  }

  /** Stores the excerpt of a stored anomaly and waits for the lines after its root line. */
  public synchronized void onAnomaly(Anomaly anomaly) {
    long rootNumber = anomaly.lineNumber();
    String rootText = ExcerptLine.safe(anomaly.line());
    Stream stream = streamOf(anomaly, rootText);
    if (stream == null) {
      write(anomaly.id(), List.of(new ExcerptLine(rootNumber, rootText, true)));
      return;
    }
    List<ExcerptLine> before = new ArrayList<>();
    List<ExcerptLine> excerpt = new ArrayList<>();
    long last = rootNumber;
    int after = 0;
    for (ExcerptLine l : stream.recent.lines()) {
      if (l.lineNumber() < rootNumber) {
        before.add(l);
      } else if (l.lineNumber() == rootNumber) {
        excerpt.add(new ExcerptLine(rootNumber, l.text(), true));
      } else if (after < Excerpt.LINES_AFTER) {
        excerpt.add(l);
        last = l.lineNumber();
        after++;
      }
    }
    excerpt.addAll(
        0, before.subList(Math.max(0, before.size() - Excerpt.LINES_BEFORE), before.size()));
    write(anomaly.id(), excerpt);
    if (after < Excerpt.LINES_AFTER) {
      if (stream.following.size() >= MAX_FOLLOWING) {
        stream.following.remove(0);
      }
      stream.following.add(
          new Following(
              anomaly.id(), last, Excerpt.LINES_AFTER - after, clock.instant().plus(FOLLOW_FOR)));
    }
  }

  /**
   * The stream the anomaly's root line was read from: of its job, with its source, holding a line
   * with its line number (the one with the same text when several do: the same path on two nodes).
   */
  private Stream streamOf(Anomaly anomaly, String rootText) {
    Stream found = null;
    for (Map.Entry<StreamKey, Stream> e : streams.entrySet()) {
      StreamKey key = e.getKey();
      if (key.jobId() != anomaly.jobId() || !sameSource(key.source(), anomaly.source())) {
        continue;
      }
      ExcerptLine root = e.getValue().recent.line(anomaly.lineNumber());
      if (root == null) {
        continue;
      }
      if (root.text().equals(rootText)) {
        return e.getValue();
      }
      if (found == null) {
        found = e.getValue();
      }
    }
    return found;
  }

  /** The store keeps at most 512 characters of a source path. */
  private static boolean sameSource(String streamSource, String anomalySource) {
    return streamSource.equals(anomalySource)
        || (anomalySource.length() >= 512 && streamSource.startsWith(anomalySource));
  }

  /** The attempts still active, after each scheduler read: forgets the streams of ended jobs. */
  public synchronized void update(List<ActiveAttempt> active) {
    Instant now = clock.instant();
    for (ActiveAttempt a : active) {
      lastActive.put(a.jobId(), now);
    }
    Instant cutoff = now.minus(LineRouter.REMEMBER);
    lastActive.values().removeIf(t -> t.isBefore(cutoff));
    streams.keySet().removeIf(k -> !lastActive.containsKey(k.jobId()));
  }

  /** How many streams are held, for tests and metrics. */
  public synchronized int streamCount() {
    return streams.size();
  }

  private void write(long anomalyId, List<ExcerptLine> lines) {
    try {
      store.appendExcerpt(anomalyId, lines);
    } catch (RuntimeException e) {
      log.warn("cannot store the log excerpt of anomaly {}: {}", anomalyId, e.getMessage());
    }
  }
}
