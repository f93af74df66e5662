package dev.ajr.core.diagnosis;

import dev.ajr.core.detect.AnomalyType;
import dev.ajr.core.detect.Cause;
import dev.ajr.core.detect.RecoveryAction;
import java.util.List;
import java.util.Optional;

/**
 * What a window of log lines shows: the root finding, its cause and the recommended action, the
 * nodes and devices it points at, and why other findings were not chosen as the root.
 *
 * @param type the anomaly type, or null when nothing is wrong
 * @param nodes the host names of the nodes the root points at (never a device's PCI id); empty when
 *     no line names the host, even if the action is REQUEUE_EXCLUDE_NODE ({@link #nodeUnknown})
 * @param devices the faulty devices the root names: PCI bus ids ({@code 0000:3b:00}) of GPUs or
 *     HCAs, or {@code GPU n}
 * @param notes sentences for a person on how the root was chosen, and that the node is unknown
 */
public record Diagnosis(
    Optional<Finding> root,
    List<Finding> findings,
    Cause cause,
    AnomalyType type,
    RecoveryAction action,
    List<String> nodes,
    List<String> devices,
    List<String> notes) {

  public Diagnosis {
    findings = List.copyOf(findings);
    nodes = List.copyOf(nodes);
    devices = List.copyOf(devices);
    notes = List.copyOf(notes);
  }

  /** True when the failure points at a node but no line says which node it is. */
  public boolean nodeUnknown() {
    return action == RecoveryAction.REQUEUE_EXCLUDE_NODE && nodes.isEmpty();
  }
}
