package dev.ajr.core.diagnosis;

/**
 * A line of a log that matched a rule.
 *
 * @param index 0-based position of the line in the window
 * @param rank the rank the line is attributed to (from the rule's pattern or the line's prefix), or
 *     null
 * @param node the host the line is attributed to (a valid node name), or null
 */
public record Finding(int index, String line, RuleMatch match, Integer rank, String node) {

  public Rule rule() {
    return match.rule();
  }

  /**
   * The faulty device the line names: its PCI bus id ({@code 0000:3b:00}), else {@code GPU n} for a
   * GPU index; null when it names none.
   */
  public String device() {
    if (match.pci() != null) {
      return match.pci();
    }
    return match.gpu() != null ? "GPU " + match.gpu() : null;
  }
}
