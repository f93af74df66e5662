package dev.ajr.server.metrics;

import dev.ajr.core.detect.Detection;
import dev.ajr.core.detect.LineClassifier;
import io.micrometer.core.instrument.Timer;
import java.util.Optional;

/** A classifier whose every call is timed ({@code ajr.rule.engine}); pure and thread-safe. */
final class TimedClassifier implements LineClassifier {

  private final LineClassifier classifier;
  private final Timer time;

  TimedClassifier(LineClassifier classifier, Timer time) {
    this.classifier = classifier;
    this.time = time;
  }

  @Override
  public Optional<Detection> classify(String line) {
    long start = System.nanoTime();
    try {
      return classifier.classify(line);
    } finally {
      time.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
  }
}
