package dev.ajr.core.detect;

/** The kind of anomaly: the job died, stopped making progress, or slowed down. */
public enum AnomalyType {
  CRASH,
  HANG,
  STRAGGLER
}
