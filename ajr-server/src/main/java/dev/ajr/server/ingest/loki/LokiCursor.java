package dev.ajr.server.ingest.loki;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where following Loki resumes; small enough to persist after every poll.
 *
 * <p>The next query starts at {@code startNanos}, which Loki includes, and entries stamped exactly
 * {@code startNanos} whose {@linkplain #fingerprint fingerprint} is in {@code seenAtStart} were
 * handed out already and are skipped. Together they make sure nothing is repeated or skipped across
 * the boundary between two queries.
 *
 * @param startNanos the first timestamp (Unix epoch nanoseconds) still to be read
 * @param seenAtStart fingerprints of the entries at {@code startNanos} already handed out
 */
public record LokiCursor(long startNanos, Set<String> seenAtStart) {

  public LokiCursor {
    seenAtStart = Set.copyOf(seenAtStart);
  }

  /** A cursor that reads what is stamped at or after {@code start} (e.g. "from now on"). */
  public static LokiCursor startingAt(Instant start) {
    return new LokiCursor(LokiTime.toNanos(start), Set.of());
  }

  public Instant start() {
    return LokiTime.toInstant(startNanos);
  }

  /**
   * Identifies an entry among those with the same timestamp: a hash of its stream's labels (sorted
   * by name) and its line. Loki itself keeps one entry per stream, timestamp and line.
   */
  public static String fingerprint(Map<String, String> labels, String line) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
    for (Map.Entry<String, String> label : new TreeMap<>(labels).entrySet()) {
      sha.update(label.getKey().getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(label.getValue().getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
    }
    sha.update((byte) 1);
    sha.update(line.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(sha.digest(), 0, 12);
  }
}
