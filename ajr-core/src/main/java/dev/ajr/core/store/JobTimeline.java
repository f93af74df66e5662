package dev.ajr.core.store;

import dev.ajr.core.detect.Anomaly;
import dev.ajr.core.job.Attempt;
import dev.ajr.core.job.Job;
import dev.ajr.core.recovery.Decision;
import java.util.List;

/**
 * A job with its story: each attempt, oldest first, with the anomalies detected in it (oldest
 * first) and the decision ajr took on each anomaly.
 */
public record JobTimeline(Job job, List<AttemptEntry> attempts) {

  public JobTimeline {
    attempts = List.copyOf(attempts);
  }

  /** One attempt and its anomalies. */
  public record AttemptEntry(Attempt attempt, List<AnomalyEntry> anomalies) {

    public AttemptEntry {
      anomalies = List.copyOf(anomalies);
    }
  }

  /**
   * One anomaly and the decision taken on it.
   *
   * @param decision the decision whose anomaly this is, or null when none was taken on it (a later
   *     anomaly of an attempt already decided, a cascade symptom, a straggler)
   */
  public record AnomalyEntry(Anomaly anomaly, Decision decision) {}
}
