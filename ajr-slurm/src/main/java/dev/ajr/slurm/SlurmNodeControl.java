package dev.ajr.slurm;

import dev.ajr.core.detect.NodeNames;
import dev.ajr.core.node.NodeControl;
import dev.ajr.core.node.NodeState;
import dev.ajr.core.scheduler.SchedulerException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link NodeControl} over {@code scontrol}: {@code show node -o}, {@code update NodeName=...
 * State=DRAIN Reason=...}, {@code State=RESUME}; {@code sinfo -h -N -o %N} for the node count.
 * Arguments are passed without a shell, so a reason cannot inject anything; a node name that is not
 * one ({@link NodeNames}: never one starting with {@code -}, which scontrol would read as an
 * option) is refused before any command runs.
 */
public final class SlurmNodeControl implements NodeControl {

  private static final Pattern STATE = Pattern.compile("(?:^|\\s)State=(\\S+)");
  private static final Pattern REASON =
      Pattern.compile("\\sReason=(.*?)(?:\\s+\\[[^\\]]*\\])?\\s*$");

  private final SlurmCommands slurm;

  public SlurmNodeControl(CommandRunner runner, Duration timeout) {
    this.slurm = new SlurmCommands(runner, timeout);
  }

  @Override
  public Optional<NodeState> state(String node) throws SchedulerException {
    requireNodeName(node);
    CommandRunner.CommandResult r =
        slurm.exec(List.of("scontrol", "show", "node", "-o", node), "read node " + node);
    if (!r.ok()) {
      String err = (r.stderr() + r.stdout()).strip();
      if (err.contains("not found") || err.contains("Invalid node name")) {
        return Optional.empty();
      }
      throw SlurmCommands.failure("read node " + node, r);
    }
    return parse(node, r.stdout());
  }

  /** The node in one line of {@code scontrol show node -o}. */
  static Optional<NodeState> parse(String node, String line) {
    Matcher state = STATE.matcher(line);
    if (!state.find()) {
      return Optional.empty();
    }
    String s = state.group(1);
    Matcher reason = REASON.matcher(line.strip());
    boolean drained = s.contains("DRAIN") || s.contains("DRAINED") || s.contains("DRNG");
    return Optional.of(new NodeState(node, s, drained, reason.find() ? reason.group(1) : ""));
  }

  @Override
  public void drain(String node, String reason) throws SchedulerException {
    requireNodeName(node);
    slurm.run(
        List.of("scontrol", "update", "NodeName=" + node, "State=DRAIN", "Reason=" + reason),
        "drain node " + node);
  }

  @Override
  public void resume(String node) throws SchedulerException {
    requireNodeName(node);
    slurm.run(
        List.of("scontrol", "update", "NodeName=" + node, "State=RESUME"), "resume node " + node);
  }

  /**
   * @throws SchedulerException (not transient) when the text is not a node name
   */
  static void requireNodeName(String node) throws SchedulerException {
    if (node == null || !node.equals(NodeNames.valid(node))) {
      throw new SchedulerException(
          "\""
              + (node == null ? "" : node.replaceAll("\\p{Cntrl}", "?"))
              + "\" is not a node name; no command was run",
          false);
    }
  }

  @Override
  public int nodeCount() throws SchedulerException {
    String nodes = slurm.run(List.of("sinfo", "-h", "-N", "-o", "%N"), "list nodes");
    return (int) nodes.lines().map(String::strip).filter(s -> !s.isEmpty()).distinct().count();
  }
}
