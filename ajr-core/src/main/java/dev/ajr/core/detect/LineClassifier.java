package dev.ajr.core.detect;

import java.util.Optional;

/** Decides whether one log line shows an anomaly. Implementations are pure and thread-safe. */
public interface LineClassifier {

  /** The detection for this line, or empty when the line shows nothing wrong. */
  Optional<Detection> classify(String line);
}
