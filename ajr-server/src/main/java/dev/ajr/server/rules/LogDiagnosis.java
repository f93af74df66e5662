package dev.ajr.server.rules;

import dev.ajr.core.diagnosis.Diagnoser;
import dev.ajr.core.diagnosis.Diagnosis;
import dev.ajr.core.diagnosis.Finding;
import dev.ajr.core.diagnosis.RuleEngine;
import java.util.ArrayList;
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

  /** The hosts and device ids a finding points at (the rule's named groups, else the prefix). */
  public static List<String> nodes(Finding f) {
    List<String> nodes = new ArrayList<>();
    if (f.node() != null) {
      nodes.add(f.node());
    }
    if (f.match().pci() != null) {
      nodes.add(f.match().pci());
    }
    return nodes;
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
        + (d.nodes().isEmpty() ? "" : " on " + String.join(", ", d.nodes()))
        + (d.findings().size() > 1 ? "; " + d.findings().size() + " lines matched rules." : ".");
  }
}
