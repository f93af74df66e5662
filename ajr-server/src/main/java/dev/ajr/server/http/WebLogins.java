package dev.ajr.server.http;

import dev.ajr.server.audit.AuditLog;
import dev.ajr.server.audit.RefusedLogins;
import dev.ajr.server.auth.LoginGuard;
import dev.ajr.server.auth.WebSessions;
import java.time.Clock;
import java.util.Objects;

/**
 * What logins (the browser's {@code /auth/login}, {@code /auth/logout}, the session cookie, and
 * HTTP Basic) work with.
 *
 * @param sessions the sessions and their CSRF tokens
 * @param guard the failed-login throttle, shared with HTTP Basic
 * @param audit where logins and logouts are recorded
 * @param refused where refused logins are counted, one row per address and minute
 */
public record WebLogins(
    WebSessions sessions, LoginGuard guard, AuditLog audit, RefusedLogins refused) {

  public WebLogins {
    Objects.requireNonNull(sessions, "sessions");
    Objects.requireNonNull(guard, "guard");
    Objects.requireNonNull(audit, "audit");
    Objects.requireNonNull(refused, "refused");
  }

  /** Refused logins counted in {@code audit} by the minutes of {@code clock}. */
  public WebLogins(WebSessions sessions, LoginGuard guard, AuditLog audit, Clock clock) {
    this(sessions, guard, audit, new RefusedLogins(audit, clock));
  }
}
