package dev.ajr.core.notify;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Words for a digest: one summary line ("200 jobs failed on 37 nodes in 60 s: 180 NCCL_ERROR, 20
 * CUDA_ERROR; nodes held: gpu-01, gpu-02"), a subject, and a body listing the first notices.
 */
public final class DigestText {

  private static final int MAX_NODES_NAMED = 10;
  private static final int MAX_SUBJECT = 160;
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  private DigestText() {}

  /** One line saying what the digest holds; a single notice's own text. */
  public static String summary(Digest d) {
    if (d.single()) {
      return d.notices().get(0).text();
    }
    List<String> parts = new ArrayList<>();
    int anomalies = d.count(NoticeKind.ANOMALY);
    if (anomalies > 0) {
      StringBuilder s = new StringBuilder();
      s.append(plural(d.failedJobs(), "job")).append(" failed");
      if (d.failedNodes() > 0) {
        s.append(" on ").append(plural(d.failedNodes(), "node"));
      }
      long seconds = Duration.between(d.first(), d.last()).toSeconds();
      if (seconds > 0) {
        s.append(" in ").append(seconds).append(" s");
      }
      List<String> causes = new ArrayList<>();
      for (Map.Entry<String, Integer> e : d.causes().entrySet()) {
        causes.add(e.getValue() + " " + e.getKey());
      }
      s.append(": ").append(String.join(", ", causes));
      parts.add(s.toString());
    }
    count(parts, d, NoticeKind.RECOVERY_DONE, "recovery done", "recoveries done");
    count(parts, d, NoticeKind.RECOVERY_FAILED, "recovery failed", "recoveries failed");
    count(parts, d, NoticeKind.JOB_STOPPED, "job stopped", "jobs stopped");
    count(parts, d, NoticeKind.JOB_LOST, "job lost", "jobs lost");
    nodes(parts, d, NoticeKind.NODE_DRAINED, "nodes drained");
    nodes(parts, d, NoticeKind.NODE_HELD, "nodes held");
    nodes(parts, d, NoticeKind.NODE_DRAIN_FAILED, "drains failed");
    nodes(parts, d, NoticeKind.NODE_SUSPECT, "nodes suspect");
    nodes(parts, d, NoticeKind.NODE_RESUMED, "nodes resumed");
    if (!d.dropped().isEmpty()) {
      List<String> types = new ArrayList<>();
      d.dropped().forEach((type, n) -> types.add(n + " " + type));
      parts.add(
          plural(d.droppedTotal(), "event")
              + " not looked at (notification queue full): "
              + String.join(", ", types));
    }
    return String.join("; ", parts);
  }

  /** A mail subject: the summary, shortened. */
  public static String subject(Digest d) {
    String s = "[ajr] " + summary(d);
    return s.length() <= MAX_SUBJECT ? s : s.substring(0, MAX_SUBJECT - 3) + "...";
  }

  /** The summary, then one line per notice carried in full, then how many more there were. */
  public static String body(Digest d) {
    StringBuilder b = new StringBuilder(summary(d)).append("\n\n");
    for (Notice n : d.notices()) {
      b.append(TIME.format(n.at())).append("  ").append(n.text()).append('\n');
    }
    int more = d.total() - d.notices().size();
    if (more > 0) {
      b.append("... and ").append(more).append(" more\n");
    }
    return b.toString();
  }

  /** The lines of {@link #body} after the summary, for formats that show them apart. */
  public static List<String> lines(Digest d) {
    List<String> out = new ArrayList<>();
    for (Notice n : d.notices()) {
      out.add(TIME.format(n.at()) + "  " + n.text());
    }
    int more = d.total() - d.notices().size();
    if (more > 0) {
      out.add("... and " + more + " more");
    }
    return out;
  }

  private static void count(
      List<String> parts, Digest d, NoticeKind kind, String one, String many) {
    int n = d.count(kind);
    if (n > 0) {
      parts.add(n + " " + (n == 1 ? one : many));
    }
  }

  private static void nodes(List<String> parts, Digest d, NoticeKind kind, String label) {
    List<String> names = d.nodes().getOrDefault(kind, List.of());
    if (names.isEmpty()) {
      return;
    }
    String shown = String.join(", ", names.subList(0, Math.min(MAX_NODES_NAMED, names.size())));
    if (names.size() > MAX_NODES_NAMED) {
      shown += " (+" + (names.size() - MAX_NODES_NAMED) + " more)";
    }
    parts.add(label + ": " + shown);
  }

  private static String plural(long n, String word) {
    return n + " " + word + (n == 1 ? "" : "s");
  }
}
