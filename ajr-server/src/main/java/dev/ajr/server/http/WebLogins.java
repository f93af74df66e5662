package dev.ajr.server.http;

import dev.ajr.server.audit.AuditLog;
import dev.ajr.server.auth.LoginGuard;
import dev.ajr.server.auth.WebSessions;
import java.util.Objects;

/**
 * What browser logins ({@code /auth/login}, {@code /auth/logout}, the session cookie) work with.
 *
 * @param sessions the sessions and their CSRF tokens
 * @param guard the failed-login rate limit, shared with HTTP Basic
 * @param audit where logins, refusals and logouts are recorded
 */
public record WebLogins(WebSessions sessions, LoginGuard guard, AuditLog audit) {

  public WebLogins {
    Objects.requireNonNull(sessions, "sessions");
    Objects.requireNonNull(guard, "guard");
    Objects.requireNonNull(audit, "audit");
  }
}
