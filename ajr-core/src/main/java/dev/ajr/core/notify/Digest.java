package dev.ajr.core.notify;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The notices one recipient of one destination gets in one message: counts over all of them and the
 * first few in full.
 *
 * @param route the destination's name
 * @param recipient {@link Route#FIXED} or the owner's address
 * @param first when the first notice arrived
 * @param last when the last notice arrived
 * @param total how many notices the digest holds
 * @param kinds how many of each kind, in the enum's order
 * @param causes the failures (anomalies) by cause, most first
 * @param failedJobs distinct jobs among the failures
 * @param failedNodes distinct nodes among the failures
 * @param nodes for each node kind, the distinct nodes concerned, in arrival order
 * @param notices the first notices, in arrival order (at most the planner's sample size)
 * @param dropped events that were not looked at because the queue was full, by event type
 */
public record Digest(
    String route,
    String recipient,
    Instant first,
    Instant last,
    int total,
    Map<NoticeKind, Integer> kinds,
    Map<String, Integer> causes,
    int failedJobs,
    int failedNodes,
    Map<NoticeKind, List<String>> nodes,
    List<Notice> notices,
    Map<String, Long> dropped) {

  public Digest {
    kinds = Map.copyOf(kinds);
    causes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(causes));
    nodes = Map.copyOf(nodes);
    notices = List.copyOf(notices);
    dropped = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(dropped));
  }

  public int count(NoticeKind kind) {
    return kinds.getOrDefault(kind, 0);
  }

  public long droppedTotal() {
    return dropped.values().stream().mapToLong(Long::longValue).sum();
  }

  /** True for a digest of exactly one notice and nothing dropped. */
  public boolean single() {
    return total == 1 && dropped.isEmpty();
  }
}
