package dev.ajr.core.diagnosis;

import dev.ajr.core.detect.Cause;
import dev.ajr.core.detect.FaultWords;
import dev.ajr.core.detect.NodeNames;
import dev.ajr.core.detect.RecoveryAction;
import dev.ajr.core.detect.RepeatCounter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the root cause in a window of log lines (one attempt's output, all ranks interleaved). Pure
 * and thread-safe.
 *
 * <p>Rules: an initiating error outranks the cascade that follows it (NCCL watchdog timeouts,
 * elastic ChildFailedError summaries, "Killed", teardown noise); among initiating errors the
 * earliest wins; a window with only cascade findings has the earliest of them as its root; benign
 * findings never are. A finding of a real cause whose action is NONE (an advisory, such as a
 * straggler report) is the root only when nothing actionable matched: the diagnosis then names its
 * cause with action NONE. The action is the root's, raised to REQUEUE_EXCLUDE_NODE when another
 * initiating finding of the same cause points at a node (an application Xid beside a node-level
 * fault).
 *
 * <p>Nodes and devices: the diagnosis names the nodes (host names) and the devices (PCI bus ids,
 * GPU indexes) of the root and of a finding that raised the action. A PCI id names a GPU or HCA,
 * never a node. A failure that points at a node whose host no line names keeps its action, and a
 * note says the node is unknown.
 */
public final class Diagnoser {

  private final RuleEngine engine;

  public Diagnoser(RuleEngine engine) {
    this.engine = engine;
  }

  /** Diagnoses a window of lines in the order they were written. */
  public Diagnosis diagnose(List<String> lines) {
    List<Finding> findings = new ArrayList<>();
    RepeatCounter repeats = new RepeatCounter();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      Optional<RuleMatch> match = engine.match(line);
      if (match.isPresent() && counts(repeats, match.get(), i)) {
        findings.add(finding(i, line, match.get()));
      }
    }
    return decide(findings);
  }

  /**
   * Whether a match makes a finding: always, but for a rule that needs several lines ({@link
   * dev.ajr.core.detect.Repeat}), which counts from the line that completes the count.
   */
  public static boolean counts(RepeatCounter repeats, RuleMatch match, long lineIndex) {
    Rule rule = match.rule();
    return repeats.counts(rule.id(), rule.repeat(), lineIndex);
  }

  /**
   * Attributes a matched line to its rank and node: the rule's named groups first, else the line's
   * prefixes ({@link LineOrigin}). A node is always a valid node name ({@link NodeNames}), never a
   * device's PCI id; null when the line names no host.
   */
  public static Finding finding(int index, String line, RuleMatch match) {
    LineOrigin origin = LineOrigin.of(line);
    Integer rank = match.rank() != null ? match.rank() : origin.rank();
    String named = NodeNames.valid(match.node());
    String node = named != null ? named : origin.host();
    return new Finding(index, line, match, rank, node);
  }

  /** Chooses the root among findings already made. */
  public static Diagnosis decide(List<Finding> findings) {
    Finding root = null;
    for (Finding f : findings) {
      if (!f.rule().benign() && !f.rule().cascade()) {
        root = f;
        break;
      }
    }
    if (root == null) {
      root = findings.stream().filter(f -> !f.rule().benign()).findFirst().orElse(null);
    }
    if (root == null) {
      // An advisory finding: a real cause whose default action is NONE (a straggler report). It
      // is the root only when nothing actionable matched.
      root =
          findings.stream().filter(f -> f.rule().cause() != Cause.BENIGN).findFirst().orElse(null);
    }
    if (root == null) {
      return new Diagnosis(
          Optional.empty(),
          findings,
          dev.ajr.core.detect.Cause.BENIGN,
          null,
          RecoveryAction.NONE,
          List.of(),
          List.of(),
          findings.isEmpty()
              ? List.of("no line matched a rule")
              : List.of("only lines known to be harmless matched"));
    }
    RecoveryAction action = root.rule().action();
    Set<String> nodes = new LinkedHashSet<>();
    Set<String> devices = new LinkedHashSet<>();
    addNode(nodes, devices, root);
    List<String> notes = new ArrayList<>();
    for (Finding f : findings) {
      if (f == root || (f.rule().benign() && f.rule().cause() == Cause.BENIGN)) {
        continue;
      }
      if (f.rule().cascade() && !root.rule().cascade()) {
        notes.add(
            "line "
                + (f.index() + 1)
                + " ("
                + f.rule().id()
                + ") is a cascade symptom: the"
                + " initiating error on line "
                + (root.index() + 1)
                + " comes first");
      } else if (f.index() > root.index()) {
        notes.add(
            "line "
                + (f.index() + 1)
                + " ("
                + f.rule().id()
                + ", "
                + f.rule().cause()
                + ") comes after the root");
        if (f.rule().cause() == root.rule().cause()
            && f.rule().action() == RecoveryAction.REQUEUE_EXCLUDE_NODE
            && action == RecoveryAction.REQUEUE) {
          action = RecoveryAction.REQUEUE_EXCLUDE_NODE;
          addNode(nodes, devices, f);
          if (f.device() == null) {
            continuedDevice(findings, f).ifPresent(devices::add);
          }
          notes.add(
              "line "
                  + (f.index() + 1)
                  + (f.node() == null
                      ? " is a node-level fault of the same cause: the action is "
                          + RecoveryAction.REQUEUE_EXCLUDE_NODE
                      : " points at node " + f.node() + ": the node is excluded"));
        }
      }
    }
    if (action == RecoveryAction.REQUEUE_EXCLUDE_NODE && nodes.isEmpty()) {
      notes.add(unknownNodeNote(root.rule().cause(), devices));
    }
    return new Diagnosis(
        Optional.of(root),
        findings,
        root.rule().cause(),
        root.rule().type(),
        action,
        List.copyOf(nodes),
        List.copyOf(devices),
        notes);
  }

  /**
   * The node a finding names goes to {@code nodes}, the device (a PCI bus id or a GPU index) to
   * {@code devices}: a device never stands in for its node, since the same PCI id exists on every
   * node of a kind.
   */
  private static void addNode(Set<String> nodes, Set<String> devices, Finding f) {
    if (f.node() != null) {
      nodes.add(f.node());
    }
    String device = f.device();
    if (device != null) {
      devices.add(device);
    }
  }

  /**
   * The device of the line a finding continues: a fault printed over several lines (an Xid line,
   * then its {@code MMU Fault:} line) names the device on its first line only. The nearest finding
   * of the same cause at most two lines before, if it names a device.
   */
  private static Optional<String> continuedDevice(List<Finding> findings, Finding f) {
    Finding before = null;
    for (Finding g : findings) {
      if (g.index() < f.index()
          && g.index() >= f.index() - 2
          && g.rule().cause() == f.rule().cause()
          && g.device() != null) {
        before = g;
      }
    }
    return before == null ? Optional.empty() : Optional.of(before.device());
  }

  /** Why a failure that points at a node names none: the log does not say which node it is. */
  private static String unknownNodeNote(Cause cause, Set<String> devices) {
    String device =
        devices.isEmpty() ? "" : " (" + FaultWords.devices(cause, List.copyOf(devices)) + ")";
    return FaultWords.fault(cause)
        + " on an unknown node"
        + device
        + ": no line names its host, so a restart excludes no node";
  }
}
