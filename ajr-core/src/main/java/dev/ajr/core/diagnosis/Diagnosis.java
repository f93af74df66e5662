package dev.ajr.core.diagnosis;

import dev.ajr.core.detect.AnomalyType;
import dev.ajr.core.detect.Cause;
import dev.ajr.core.detect.RecoveryAction;
import java.util.List;
import java.util.Optional;

/**
 * What a window of log lines shows: the root finding, its cause and the recommended action, the
 * nodes it points at, and why other findings were not chosen as the root.
 *
 * @param type the anomaly type, or null when nothing is wrong
 * @param nodes host names or device PCI ids the root points at
 * @param notes sentences for a person on how the root was chosen
 */
public record Diagnosis(
    Optional<Finding> root,
    List<Finding> findings,
    Cause cause,
    AnomalyType type,
    RecoveryAction action,
    List<String> nodes,
    List<String> notes) {

  public Diagnosis {
    findings = List.copyOf(findings);
    nodes = List.copyOf(nodes);
    notes = List.copyOf(notes);
  }
}
