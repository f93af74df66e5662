package dev.ajr.core.node;

import java.time.Duration;

/**
 * Decides what a finding means for its node. A pure function of its input, tested as a table.
 *
 * <p>Rules, in order:
 *
 * <ol>
 *   <li>A finding that does not point at a node (no node, or its rule does not blame the node)
 *       changes nothing; neither does one about a node that is already drained or in repair.
 *   <li>Trusted evidence (the node's kernel log) justifies a drain. Untrusted evidence (job output)
 *       justifies one only when failures of {@link NodeSettings#lemonJobs} different jobs pointed
 *       at the node within the lemon window (a lemon node); otherwise the node becomes SUSPECT (the
 *       failing job is kept off it by the job's own decision, nothing else happens).
 *   <li>A justified drain is held, and the node only made SUSPECT, when drains are off, when ajr
 *       only observes, or when it would pass the blast-radius limit: {@link
 *       NodeSettings#drainLimit} drains within the drain window. Many nodes failing together
 *       usually means the fabric or the storage, which draining nodes does not fix.
 * </ol>
 */
public final class NodeIsolationPolicy {

  /**
   * Everything the policy looks at.
   *
   * @param current the node as ajr knows it
   * @param implicatingJobs the distinct jobs whose failures pointed at the node within the lemon
   *     window, this one included
   * @param drainsInWindow drains ajr decided within the drain window
   * @param clusterNodes how many nodes the cluster has
   * @param observe true when ajr only observes
   */
  public record Input(
      NodeEvidence evidence,
      NodeRecord current,
      int implicatingJobs,
      int drainsInWindow,
      int clusterNodes,
      boolean observe,
      NodeSettings settings) {}

  /** What to do with the node. */
  public enum Verdict {
    NONE,
    SUSPECT,
    DRAIN,
    /** A drain was justified but is held back. */
    HOLD
  }

  /** The verdict and its reason in words. */
  public record Plan(Verdict verdict, String reason) {}

  public Plan decide(Input in) {
    NodeEvidence e = in.evidence();
    if (!e.pointsAtNode()) {
      return new Plan(Verdict.NONE, "the failure does not point at a node");
    }
    NodeHealth health = in.current().health();
    if (health == NodeHealth.DRAINING
        || health == NodeHealth.DRAINED
        || health == NodeHealth.IN_REPAIR) {
      return new Plan(Verdict.NONE, e.node() + " is already " + health.name().toLowerCase());
    }
    NodeSettings s = in.settings();
    String why;
    if (e.evidence().trusted()) {
      why =
          "the kernel log of "
              + e.node()
              + " shows "
              + e.cause()
              + " ("
              + e.ruleId()
              + "): "
              + shorten(e.line());
    } else if (in.implicatingJobs() >= s.lemonJobs()) {
      why =
          "lemon node: failures of "
              + in.implicatingJobs()
              + " different jobs within "
              + words(s.lemonWindow())
              + " pointed at "
              + e.node()
              + ", the latest "
              + e.cause()
              + " ("
              + e.ruleId()
              + ")";
    } else {
      return new Plan(
          Verdict.SUSPECT,
          "job output of job "
              + e.jobId()
              + " points at "
              + e.node()
              + " ("
              + e.cause()
              + "); job output is not trusted to drain a node, so only that job is kept off it;"
              + " the node is drained when "
              + s.lemonJobs()
              + " different jobs point at it within "
              + words(s.lemonWindow())
              + " ("
              + in.implicatingJobs()
              + " so far)");
    }
    if (!s.drain()) {
      return new Plan(Verdict.HOLD, why + "; not drained: drains are off (nodes.drain: false)");
    }
    if (in.observe()) {
      return new Plan(Verdict.HOLD, why + "; not drained: observe mode (ajr would drain it)");
    }
    int limit = s.drainLimit(in.clusterNodes());
    if (in.drainsInWindow() >= limit) {
      return new Plan(
          Verdict.HOLD,
          why
              + "; drain held: ajr drained "
              + in.drainsInWindow()
              + " node(s) within "
              + words(s.drainWindow())
              + " and drains at most "
              + limit
              + " of "
              + in.clusterNodes()
              + "; many nodes failing together points at the fabric or the storage: an operator"
              + " should look");
    }
    return new Plan(Verdict.DRAIN, why);
  }

  private static String shorten(String line) {
    String s = line.strip();
    return s.length() > 160 ? s.substring(0, 160) + "..." : s;
  }

  static String words(Duration d) {
    if (d.toDaysPart() > 0 && d.toHoursPart() == 0 && d.toMinutesPart() == 0) {
      return d.toDays() + " d";
    }
    if (d.toHours() > 0 && d.toMinutesPart() == 0) {
      return d.toHours() + " h";
    }
    if (d.toMinutes() > 0) {
      return d.toMinutes() + " min";
    }
    return d.toSeconds() + " s";
  }
}
