package dev.ajr.core.recovery;

import dev.ajr.core.detect.Evidence;
import dev.ajr.core.detect.NodeNames;
import java.util.List;

/**
 * Which node an anomaly is attributed to, from what is known about its line. Pure.
 *
 * <p>Rules, in order:
 *
 * <ol>
 *   <li>A kernel line is the node's that read it (the node agent's), whatever its text says.
 *   <li>A host the line names (a rank's prefix, {@link dev.ajr.core.diagnosis.LineOrigin}) is the
 *       node when it is one of the attempt's nodes (by name, or by short name: {@code
 *       gpu-node-7.cluster.local} is {@code gpu-node-7}), or when the attempt's nodes are not
 *       known. A host that is none of the attempt's nodes (a container's host name) is ignored.
 *   <li>Else the node the line was read from (a node agent's own file, a one-node attempt's
 *       output).
 *   <li>Else the attempt's node when it ran on one node: the line can only come from there.
 *   <li>Else none (empty): ajr never guesses among several nodes.
 * </ol>
 *
 * <p>Every name returned is a valid node name ({@link NodeNames}), or empty.
 */
final class NodeAttribution {

  private NodeAttribution() {}

  /**
   * @param readingNode the node the line was read from, or empty when unknown
   * @param namedHost the host the line names, or null
   * @param allocation the nodes the attempt ran on; empty when unknown
   * @return the node, or empty when it is not known
   */
  static String of(
      Evidence evidence, String readingNode, String namedHost, List<String> allocation) {
    String reading = NodeNames.valid(readingNode);
    if (evidence == Evidence.KERNEL_LOG) {
      return reading == null ? "" : reading;
    }
    String named = NodeNames.valid(namedHost);
    if (named != null) {
      if (allocation.isEmpty()) {
        return named;
      }
      String node = NodeNames.inAllocation(named, allocation);
      if (node != null) {
        return node;
      }
    }
    if (reading != null) {
      return reading;
    }
    if (allocation.size() == 1) {
      String only = NodeNames.valid(allocation.get(0));
      return only == null ? "" : only;
    }
    return "";
  }
}
