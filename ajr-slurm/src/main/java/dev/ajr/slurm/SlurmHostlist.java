package dev.ajr.slurm;

import java.util.ArrayList;
import java.util.List;

/**
 * Expands Slurm host lists such as {@code node[1-3,7],gpu01} into host names. Pure. A list that
 * does not parse is returned as its comma-separated parts rather than rejected.
 */
public final class SlurmHostlist {

  private SlurmHostlist() {}

  public static List<String> expand(String hostlist) {
    List<String> hosts = new ArrayList<>();
    if (hostlist == null || hostlist.isBlank()) {
      return hosts;
    }
    for (String part : splitTopLevel(hostlist.strip())) {
      expandOne(part, hosts);
    }
    return hosts;
  }

  /** The compact form Slurm accepts, for example in {@code ExcNodeList}: a plain comma list. */
  public static String join(List<String> hosts) {
    return String.join(",", hosts);
  }

  private static List<String> splitTopLevel(String text) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '[') {
        depth++;
      } else if (c == ']') {
        depth--;
      } else if (c == ',' && depth == 0) {
        parts.add(text.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(text.substring(start));
    return parts;
  }

  private static void expandOne(String part, List<String> out) {
    int open = part.indexOf('[');
    int close = part.indexOf(']', open + 1);
    if (open < 0 || close < 0) {
      if (!part.isBlank()) {
        out.add(part.strip());
      }
      return;
    }
    String prefix = part.substring(0, open);
    String suffix = part.substring(close + 1);
    for (String range : part.substring(open + 1, close).split(",")) {
      String[] bounds = range.split("-", 2);
      try {
        if (bounds.length == 1) {
          expandOne(prefix + bounds[0] + suffix, out);
          continue;
        }
        int width = bounds[0].length();
        long from = Long.parseLong(bounds[0]);
        long to = Long.parseLong(bounds[1]);
        for (long n = from; n <= to && n - from < 100_000; n++) {
          expandOne(prefix + String.format("%0" + width + "d", n) + suffix, out);
        }
      } catch (NumberFormatException e) {
        out.add(part);
        return;
      }
    }
  }
}
