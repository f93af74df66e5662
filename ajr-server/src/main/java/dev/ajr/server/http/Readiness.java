package dev.ajr.server.http;

import java.util.List;
import java.util.Map;

/**
 * What {@code GET /readyz} reports: each check by name ({@code database}, {@code migrations},
 * {@code slurm}) with its state in words, and the names of those that failed; ready when none did.
 */
public record Readiness(Map<String, String> checks, List<String> failed) {

  public Readiness {
    checks = Map.copyOf(checks);
    failed = List.copyOf(failed);
  }

  public boolean ready() {
    return failed.isEmpty();
  }
}
