package dev.ajr.server.auth;

import java.util.Locale;

/** What a user may see and do. */
public enum Role {
  /** Sees only their own jobs. */
  VIEWER,
  /** Sees all jobs; may act on nodes. */
  OPERATOR,
  /** Everything, including users and settings. */
  ADMIN;

  public boolean seesAllJobs() {
    return this != VIEWER;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
