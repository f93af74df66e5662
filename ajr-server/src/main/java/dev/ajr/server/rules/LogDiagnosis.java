package dev.ajr.server.rules;

import dev.ajr.core.detect.FaultWords;
import dev.ajr.core.diagnosis.Diagnoser;
import dev.ajr.core.diagnosis.Diagnosis;
import dev.ajr.core.diagnosis.Finding;
import dev.ajr.core.diagnosis.RuleEngine;
import java.util.Arrays;
import java.util.List;

/**
 * The diagnosis of a pasted text (one or many log lines), shared by {@code ajr classify} and {@code
 * POST /api/v1/diagnose}: the text is split at line breaks and the {@link Diagnoser} chooses the
 * root among the findings.
 */
public final class LogDiagnosis {

  private LogDiagnosis() {}

  /** Diagnoses the lines of {@code text} in order. */
  public static Diagnosis of(RuleEngine engine, String text) {
    return new Diagnoser(engine).diagnose(Arrays.asList(text.split("\r?\n", -1)));
  }

  /** The host a finding points at (the rule's named group, else the line's prefix), if any. */
  public static List<String> nodes(Finding f) {
    return f.node() == null ? List.of() : List.of(f.node());
  }

  /** The device a finding names (a PCI bus id, or {@code GPU n}), if any. */
  public static List<String> devices(Finding f) {
    return f.device() == null ? List.of() : List.of(f.device());
  }

  /**
   * Where the diagnosis points, in words: " on NODE", " on an unknown node" when the failure points
   * at a node that no line names, then the devices, as in " on gpu-node-7 (GPU 0000:3b:00)"; empty
   * when it points nowhere.
   */
  public static String where(Diagnosis d) {
    String node =
        d.nodeUnknown()
            ? " on an unknown node"
            : d.nodes().isEmpty() ? "" : " on " + String.join(", ", d.nodes());
    String devices =
        d.devices().isEmpty() ? "" : " (" + FaultWords.devices(d.cause(), d.devices()) + ")";
    return node + devices;
  }

  /**
   * One sentence for a person, as {@code classify} reports it: the root's cause, type and action
   * with the rule and line number, or that no failure was found.
   */
  public static String summary(Diagnosis d) {
    if (d.root().isEmpty()) {
      return "No failure found"
          + (d.findings().isEmpty()
              ? "."
              : " (" + d.findings().size() + " harmless or cascade lines matched).");
    }
    Finding root = d.root().get();
    return d.cause()
        + " ("
        + d.type()
        + ") at line "
        + (root.index() + 1)
        + " by rule "
        + root.rule().id()
        + "; recommended action "
        + d.action()
        + where(d)
        + (d.findings().size() > 1 ? "; " + d.findings().size() + " lines matched rules." : ".");
  }
}
