package dev.ajr.core.recovery;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Bounds how many anomalies of one rule an attempt stores: the first {@code perRule} matches of a
 * rule in an attempt are stored, later ones only counted. The same rule means the same cause and
 * action, so a later match adds nothing to a decision (the attempt's first anomaly to be decided on
 * already was, or, for a rule whose action is NONE, never will be); a new rule always gets through.
 * Without the bound, a program that prints a matching line thousands of times a second (a user's
 * loop, or output crafted to match) would write each to the database. Counters are kept for at most
 * {@value #MAX_ATTEMPTS} attempts (the least recently used go), so memory stays bounded.
 * Thread-safe.
 */
final class RuleRepeatCap {

  static final int MAX_ATTEMPTS = 10_000;

  private record AttemptKey(long jobId, int attemptIndex) {}

  private final int perRule;
  private long capped;
  private final Map<AttemptKey, Map<String, Integer>> counts =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<AttemptKey, Map<String, Integer>> eldest) {
          return size() > MAX_ATTEMPTS;
        }
      };

  RuleRepeatCap(int perRule) {
    if (perRule < 1) {
      throw new IllegalArgumentException("perRule must be at least 1: " + perRule);
    }
    this.perRule = perRule;
  }

  /** Whether this match of {@code ruleId} in the attempt is still to be stored. */
  synchronized boolean admits(long jobId, int attemptIndex, String ruleId) {
    Map<String, Integer> rules =
        counts.computeIfAbsent(new AttemptKey(jobId, attemptIndex), k -> new HashMap<>());
    int seen = rules.merge(ruleId, 1, Integer::sum);
    if (seen > perRule) {
      rules.put(ruleId, perRule + 1); // no overflow however long it goes on
      capped++;
      return false;
    }
    return true;
  }

  /** How many matches were not stored since the start. */
  synchronized long capped() {
    return capped;
  }
}
