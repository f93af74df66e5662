package dev.ajr.server.http;

import com.sun.net.httpserver.HttpExchange;
import dev.ajr.server.audit.RefusedLogins;
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
 * #CSRF_HEADER}. Failed Basic logins count toward the login throttle (and are audited with the
 * form's, one row per address and minute), and a caller it holds back gets 429 before their
 * password is checked.
 *
 * <p>A 401 never challenges with {@code Basic}: a browser would offer its password dialog and then
 * attach the credentials it remembered to every request to this server, whichever site starts it.
 * The challenge names {@code Bearer}, and the body says how to authenticate.
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
  private final RefusedLogins refused;
  private final ClientNetwork network;

  Callers(Authenticator auth, WebLogins logins, ClientNetwork network) {
    this.auth = auth;
    this.sessions = logins.sessions();
    this.guard = logins.guard();
    this.refused = logins.refused();
    this.network = network;
  }

  /**
   * @throws ApiException 401 without valid credentials, 429 while the login rate limit holds, 403
   *     for a cookie without its CSRF token on a state-changing method
   */
  Caller authenticate(HttpExchange ex, String method) {
    String header = ex.getRequestHeaders().getFirst("Authorization");
    if (header != null) {
      Optional<String> basicUser = Authenticator.basicUser(header);
      String client = network.clientAddress(ex);
      if (basicUser.isPresent()) {
        Optional<Duration> wait = guard.retryAfter(basicUser.get(), client);
        if (wait.isPresent()) {
          refused.throttled(client, basicUser.get());
          throw tooManyLogins(ex, wait.get());
        }
      }
      Optional<Principal> p = auth.authenticate(header);
      if (p.isPresent()) {
        basicUser.ifPresent(user -> guard.succeeded(user, client));
        return new Caller(p.get(), null);
      }
      basicUser.ifPresent(user -> {
        guard.failed(user, client);
        refused.failed(client, user);
      });
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
    ex.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"ajr\"");
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
}
