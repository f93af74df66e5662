package dev.ajr.server.http;

import dev.ajr.server.auth.Role;
import java.util.function.Predicate;

/**
 * Who may call a route. The levels are not a ladder: an agent ships logs but reads no jobs, a
 * viewer reads their own jobs but ships no logs. Which jobs or values a caller sees within a route
 * is the route's own rule (a viewer asking for another user's job gets "not found").
 */
enum Access {
  /**
   * No credentials needed (and none read): the login form's calls, the health and readiness checks.
   */
  ANONYMOUS(role -> true),
  /** Any authenticated caller, an agent too. */
  ANY_CALLER(role -> true),
  /** Viewers (their own jobs), operators and administrators. */
  READS_JOBS(Role::readsJobs),
  /** Agents, operators and administrators: a shipped kernel line may drain a node. */
  SHIPS_LOGS(Role::mayShipLogs),
  /** Agents, operators and administrators: Slurm's controller hooks saying which job to look at. */
  TELLS_OF_JOBS(Role::mayShipLogs),
  /** Operators and administrators. */
  OPERATOR(Role::seesAllJobs),
  /**
   * Operators and administrators, or a caller with the metrics token ({@code metrics.token-file},
   * checked by the server before any user credentials are).
   */
  SCRAPES_METRICS(Role::seesAllJobs),
  /** Administrators. */
  ADMIN(role -> role == Role.ADMIN);

  private final Predicate<Role> allows;

  Access(Predicate<Role> allows) {
    this.allows = allows;
  }

  boolean allows(Role role) {
    return allows.test(role);
  }

  /** The 403 for a caller of this role on {@code route} (its method and path template). */
  ApiException refusal(Role role, String route) {
    String message;
    if (this == SHIPS_LOGS) {
      message = "only an agent, operator or admin token may send log lines";
    } else if (this == TELLS_OF_JOBS) {
      message = "only an agent, operator or admin token may tell ajr of Slurm's jobs";
    } else if (!role.readsJobs()) {
      message = "an agent token only sends log lines";
    } else if (this == SCRAPES_METRICS) {
      message = route + " is for operators, administrators and the metrics token";
    } else if (this == ADMIN) {
      message = route + " is for administrators";
    } else {
      message = route + " is for operators and administrators";
    }
    return new ApiException(403, "forbidden", message);
  }
}
