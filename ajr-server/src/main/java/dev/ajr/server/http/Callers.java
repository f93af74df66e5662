package dev.ajr.server.http;

import com.sun.net.httpserver.HttpExchange;
import dev.ajr.server.auth.Authenticator;
import dev.ajr.server.auth.LoginGuard;
import dev.ajr.server.auth.Principal;
import dev.ajr.server.auth.WebSessions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Who calls: the Authorization header (HTTP Basic or a bearer token) wins; else the browser
 * session's cookie, which on a state-changing method needs the session's CSRF token in {@value
 * #CSRF_HEADER}. Failed Basic logins count toward the login rate limit, and a caller held back by
 * it gets 429 before their password is checked.
 *
 * <p>Thread-safe.
 */
final class Callers {

  static final String CSRF_HEADER = "X-CSRF-Token";

  /** Who is calling, and their browser session when they came with its cookie (else null). */
  record Caller(Principal principal, WebSessions.Session session) {}

  private final Authenticator auth;
  private final WebSessions sessions;
  private final LoginGuard guard;

  Callers(Authenticator auth, WebSessions sessions, LoginGuard guard) {
    this.auth = auth;
    this.sessions = sessions;
    this.guard = guard;
  }

  /**
   * @throws ApiException 401 without valid credentials, 429 while the login rate limit holds, 403
   *     for a cookie without its CSRF token on a state-changing method
   */
  Caller authenticate(HttpExchange ex, String method) {
    String header = ex.getRequestHeaders().getFirst("Authorization");
    if (header != null) {
      Optional<String> basicUser = Authenticator.basicUser(header);
      String client = clientAddress(ex);
      if (basicUser.isPresent()) {
        Optional<Duration> wait = guard.retryAfter(basicUser.get(), client);
        if (wait.isPresent()) {
          throw tooManyLogins(ex, wait.get());
        }
      }
      Optional<Principal> p = auth.authenticate(header);
      if (p.isPresent()) {
        return new Caller(p.get(), null);
      }
      basicUser.ifPresent(user -> guard.failed(user, client));
      throw unauthenticated(ex);
    }
    String id = cookie(ex, SessionRoutes.COOKIE);
    if (id != null) {
      Optional<WebSessions.Session> session = sessions.find(id);
      if (session.isPresent()) {
        boolean safe = method.equals("GET") || method.equals("HEAD");
        if (!safe) {
          requireCsrf(ex, session.get());
        }
        return new Caller(session.get().principal(), session.get());
      }
    }
    throw unauthenticated(ex);
  }

  /** The 429 answer (with Retry-After) to a login try while the rate limit holds. */
  static ApiException tooManyLogins(HttpExchange ex, Duration wait) {
    long seconds = Math.max(1, wait.toSeconds());
    ex.getResponseHeaders().add("Retry-After", Long.toString(seconds));
    return new ApiException(
        429, "too_many_attempts", "too many failed logins; try again in " + seconds + " s");
  }

  /** Refuses a request made with the session's cookie but without its CSRF token. */
  static void requireCsrf(HttpExchange ex, WebSessions.Session session) {
    if (!session.csrfMatches(ex.getRequestHeaders().getFirst(CSRF_HEADER))) {
      throw new ApiException(403, "csrf", "missing or wrong " + CSRF_HEADER + " header");
    }
  }

  private static ApiException unauthenticated(HttpExchange ex) {
    // A browser's own fetch or EventSource (Sec-Fetch-Mode cors, same-origin...) must not get the
    // Basic challenge: the browser would hold the request open for a password dialog. Tools and a
    // browser's address bar (navigate) do get it.
    String mode = ex.getRequestHeaders().getFirst("Sec-Fetch-Mode");
    if (mode == null || mode.equals("navigate")) {
      ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"ajr\"");
    }
    return new ApiException(
        401,
        "unauthenticated",
        "log in (the web UI at /ui/, or HTTP Basic with user and password) or send an API token"
            + " as 'Authorization: Bearer <token>'");
  }

  /** The value of one cookie of the request, or null. */
  static String cookie(HttpExchange ex, String name) {
    for (String header : ex.getRequestHeaders().getOrDefault("Cookie", List.of())) {
      for (String part : header.split(";")) {
        String p = part.strip();
        if (p.startsWith(name + "=")) {
          return p.substring(name.length() + 1);
        }
      }
    }
    return null;
  }

  /** The client's address as this server sees it (a proxy's, behind one). */
  static String clientAddress(HttpExchange ex) {
    return ex.getRemoteAddress().getAddress().getHostAddress();
  }
}
