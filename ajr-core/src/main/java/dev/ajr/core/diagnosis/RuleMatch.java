package dev.ajr.core.diagnosis;

/**
 * A line matched a rule.
 *
 * @param node the host the rule's pattern named, or null
 * @param pci the PCI bus id of a GPU or HCA the pattern named, or null
 * @param gpu the GPU index the pattern named, or null
 * @param rank the rank the pattern named, or null
 */
public record RuleMatch(Rule rule, String node, String pci, String gpu, Integer rank) {}
