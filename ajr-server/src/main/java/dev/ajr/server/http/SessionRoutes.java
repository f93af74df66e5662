package dev.ajr.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import dev.ajr.server.audit.AuditLog;
import dev.ajr.server.auth.Authenticator;
import dev.ajr.server.auth.LoginGuard;
import dev.ajr.server.auth.Principal;
import dev.ajr.server.auth.WebSessions;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Browser login and logout: {@code POST /auth/login} with JSON {@code {"username", "password"}}
 * starts a session (cookie {@code ajr_session}: HttpOnly, Secure, SameSite=Strict) and answers the
 * session's CSRF token; {@code POST /auth/logout} ends it.
 *
 * <p>Contract: a login must be JSON (an HTML form from another site cannot send it) and, when the
 * browser names an Origin, from this server's own origin. Failed logins are rate limited per user
 * name and per client address (429 with Retry-After) and audited; passwords are never logged.
 */
final class SessionRoutes {

  static final String COOKIE = "ajr_session";

  private final Authenticator auth;
  private final WebSessions sessions;
  private final LoginGuard guard;
  private final AuditLog audit;
  private final ObjectMapper json;

  SessionRoutes(Authenticator auth, WebLogins logins, ObjectMapper json) {
    this.auth = auth;
    this.sessions = logins.sessions();
    this.guard = logins.guard();
    this.audit = logins.audit();
    this.json = json;
  }

  Reply login(Call call) {
    HttpExchange ex = call.exchange();
    requireSameOrigin(ex);
    String type = ex.getRequestHeaders().getFirst("Content-Type");
    if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
      throw new ApiException(
          415, "unsupported_media_type", "send JSON: {\"username\": ..., \"password\": ...}");
    }
    JsonNode body;
    try (InputStream in = ex.getRequestBody()) {
      body = json.readTree(in.readNBytes(16 * 1024));
    } catch (IOException e) {
      body = null;
    }
    if (body == null || !body.path("username").isTextual() || !body.path("password").isTextual()) {
      throw new ApiException(
          400, "bad_request", "send JSON: {\"username\": ..., \"password\": ...}");
    }
    String username = body.get("username").asText().strip();
    String password = body.get("password").asText();
    String client = Callers.clientAddress(ex);
    Optional<Duration> wait = guard.retryAfter(username, client);
    if (wait.isPresent()) {
      audit.record(username, "login.refused", "", "too many failed logins from " + client);
      throw Callers.tooManyLogins(ex, wait.get());
    }
    Optional<Principal> who = auth.login(username, password);
    if (who.isEmpty()) {
      guard.failed(username, client);
      audit.record(username, "login.failed", "", "from " + client);
      throw new ApiException(401, "unauthenticated", "wrong user name or password");
    }
    guard.succeeded(username);
    WebSessions.Created created = sessions.create(who.get());
    audit.record(who.get().username(), "login.ok", "", "from " + client);
    ex.getResponseHeaders()
        .add(
            "Set-Cookie",
            COOKIE
                + "="
                + created.id()
                + "; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age="
                + sessions.lifetime().toSeconds());
    return new Reply(
        200,
        Map.of(
            "username", who.get().username(),
            "role", who.get().role().wireName(),
            "csrfToken", created.session().csrfToken()));
  }

  Reply logout(Call call) {
    HttpExchange ex = call.exchange();
    requireSameOrigin(ex);
    String id = Callers.cookie(ex, COOKIE);
    Optional<WebSessions.Session> session = sessions.find(id);
    if (session.isPresent()) {
      Callers.requireCsrf(ex, session.get());
      sessions.end(id);
      audit.record(session.get().principal().username(), "logout", "", "");
    }
    ex.getResponseHeaders()
        .add("Set-Cookie", COOKIE + "=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0");
    return new Reply(204, null);
  }

  /** Refuses a request whose Origin header names another site. */
  private static void requireSameOrigin(HttpExchange ex) {
    String origin = ex.getRequestHeaders().getFirst("Origin");
    if (origin == null) {
      return; // not a browser's cross-site request (browsers send Origin on POST)
    }
    String host = ex.getRequestHeaders().getFirst("Host");
    try {
      URI o = URI.create(origin);
      String authority = o.getPort() < 0 ? o.getHost() : o.getHost() + ":" + o.getPort();
      if (host != null
          && (host.equalsIgnoreCase(authority) || host.equalsIgnoreCase(o.getHost()))) {
        return;
      }
    } catch (IllegalArgumentException e) {
      // fall through
    }
    throw new ApiException(403, "cross_origin", "requests from another site are refused");
  }
}
