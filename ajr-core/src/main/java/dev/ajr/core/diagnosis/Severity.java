package dev.ajr.core.diagnosis;

/** How bad a matched line is, for people reading a diagnosis. */
public enum Severity {
  INFO,
  WARNING,
  ERROR,
  CRITICAL
}
