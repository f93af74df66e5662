package dev.ajr.server.auth;

import java.util.Locale;

/** What a user may see and do. */
public enum Role {
  /** Sees only their own jobs. */
  VIEWER,
  /** Sees all jobs; may act on nodes. */
  OPERATOR,
  /** Everything, including users and settings. */
  ADMIN,
  /** A node agent or log shipper: sends log lines (kernel lines are trusted), sees no jobs. */
  AGENT;

  public boolean seesAllJobs() {
    return this == OPERATOR || this == ADMIN;
  }

  /** Whether the caller may read the job API at all (an agent only sends). */
  public boolean readsJobs() {
    return this != AGENT;
  }

  /** Whether the caller may send log lines, including trusted kernel lines. */
  public boolean mayShipLogs() {
    return this != VIEWER;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
