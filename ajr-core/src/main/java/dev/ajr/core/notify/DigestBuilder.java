package dev.ajr.core.notify;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Gathers the notices of one open digest. Not thread-safe. */
final class DigestBuilder {

  private final String route;
  private final String recipient;
  private final Instant opened;
  private final int sampleSize;
  private Instant last;
  private int total;
  private final Map<NoticeKind, Integer> kinds = new EnumMap<>(NoticeKind.class);
  private final Map<String, Integer> causes = new TreeMap<>();
  private final Set<Long> failedJobs = new HashSet<>();
  private final Set<String> failedNodes = new HashSet<>();
  private final Map<NoticeKind, Set<String>> nodes = new EnumMap<>(NoticeKind.class);
  private final List<Notice> notices = new ArrayList<>();
  private final Map<String, Long> dropped = new TreeMap<>();

  DigestBuilder(String route, String recipient, Instant opened, int sampleSize) {
    this.route = route;
    this.recipient = recipient;
    this.opened = opened;
    this.last = opened;
    this.sampleSize = sampleSize;
  }

  Instant opened() {
    return opened;
  }

  void add(Notice n) {
    total++;
    if (n.at().isAfter(last)) {
      last = n.at();
    }
    kinds.merge(n.kind(), 1, Integer::sum);
    if (n.kind() == NoticeKind.ANOMALY) {
      causes.merge(n.cause().isEmpty() ? "UNKNOWN" : n.cause(), 1, Integer::sum);
      failedJobs.add(n.jobId());
      if (!n.node().isEmpty()) {
        failedNodes.add(n.node());
      }
    } else if (n.kind().isNode() && !n.node().isEmpty()) {
      nodes.computeIfAbsent(n.kind(), k -> new LinkedHashSet<>()).add(n.node());
    }
    if (notices.size() < sampleSize) {
      notices.add(n);
    }
  }

  void dropped(Map<String, Long> counts, Instant at) {
    counts.forEach((type, count) -> dropped.merge(type, count, Long::sum));
    if (at.isAfter(last)) {
      last = at;
    }
  }

  Digest build() {
    Map<String, Integer> byCause = new LinkedHashMap<>();
    causes.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()))
        .forEach(e -> byCause.put(e.getKey(), e.getValue()));
    Map<NoticeKind, List<String>> nodeLists = new EnumMap<>(NoticeKind.class);
    nodes.forEach((k, v) -> nodeLists.put(k, List.copyOf(v)));
    return new Digest(
        route,
        recipient,
        opened,
        last,
        total,
        kinds,
        byCause,
        failedJobs.size(),
        failedNodes.size(),
        nodeLists,
        notices,
        dropped);
  }
}
