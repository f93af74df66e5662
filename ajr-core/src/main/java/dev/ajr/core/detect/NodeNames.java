package dev.ajr.core.detect;

import java.util.List;
import java.util.Locale;

/**
 * The shape of a node name, and which node of an allocation a host name printed in a log is. Pure.
 *
 * <p>Contract: a node name has the shape Slurm gives node names: 1 to {@value #MAX_LENGTH} ASCII
 * letters, digits, {@code -}, {@code _} and {@code .}, starting with a letter or a digit. Text a
 * user's program printed passes through {@link #valid} before it names a node, so it can never name
 * one that starts with {@code -} or holds {@code /}, white space or control characters.
 */
public final class NodeNames {

  /** The longest node name accepted. */
  public static final int MAX_LENGTH = 64;

  private NodeNames() {}

  /**
   * The name when it has the shape of a node name, else null. Dots at the end (a sentence's full
   * stop after the name) are dropped first.
   */
  public static String valid(String name) {
    if (name == null) {
      return null;
    }
    int end = name.length();
    while (end > 0 && name.charAt(end - 1) == '.') {
      end--;
    }
    return hasShape(name, 0, end) ? name.substring(0, end) : null;
  }

  /** Whether {@code text[from, to)} has the shape of a node name. */
  public static boolean hasShape(CharSequence text, int from, int to) {
    int length = to - from;
    if (length < 1 || length > MAX_LENGTH || !isLetterOrDigit(text.charAt(from))) {
      return false;
    }
    for (int i = from + 1; i < to; i++) {
      if (!isNameChar(text.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** An ASCII letter, digit, {@code -}, {@code _} or {@code .}. */
  public static boolean isNameChar(char c) {
    return isLetterOrDigit(c) || c == '-' || c == '_' || c == '.';
  }

  static boolean isLetterOrDigit(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
  }

  /**
   * The node of {@code allocation} that the host name {@code host} is: the node of the same name
   * (letter case aside), else the one node whose short name (up to the first dot) is the host's
   * short name, as when a log prints {@code gpu-node-7.cluster.local} for Slurm's {@code
   * gpu-node-7}. Null when no node, or more than one, is.
   */
  public static String inAllocation(String host, List<String> allocation) {
    if (host == null) {
      return null;
    }
    for (String node : allocation) {
      if (node.equalsIgnoreCase(host)) {
        return node;
      }
    }
    String shortHost = shortName(host);
    String found = null;
    for (String node : allocation) {
      if (shortName(node).equals(shortHost)) {
        if (found != null) {
          return null;
        }
        found = node;
      }
    }
    return found;
  }

  private static String shortName(String name) {
    int dot = name.indexOf('.');
    return (dot < 0 ? name : name.substring(0, dot)).toLowerCase(Locale.ROOT);
  }
}
