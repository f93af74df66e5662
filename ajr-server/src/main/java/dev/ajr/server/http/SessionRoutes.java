package dev.ajr.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import dev.ajr.server.audit.AuditLog;
import dev.ajr.server.audit.RefusedLogins;
import dev.ajr.server.auth.Authenticator;
import dev.ajr.server.auth.LoginGuard;
import dev.ajr.server.auth.Principal;
import dev.ajr.server.auth.WebSessions;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Browser login and logout: {@code POST /auth/login} with JSON {@code {"username", "password"}}
 * starts a session (cookie {@code ajr_session}: HttpOnly, Secure, SameSite=Strict) and answers the
 * session's CSRF token; {@code POST /auth/logout} ends it.
 *
 * <p>Contract: a login must be JSON (an HTML form from another site cannot send it) and, when the
 * browser names an Origin, from this server's own origin ({@link StateChangeGuard}, before this
 * class is asked). Failed logins slow further tries of the name from that address, and of any name
 * from an address that failed many times ({@link LoginGuard}: 429 with Retry-After), and are
 * audited one row per address and minute; passwords are never logged.
 */
final class SessionRoutes {

  static final String COOKIE = "ajr_session";

  private final Authenticator auth;
  private final WebSessions sessions;
  private final LoginGuard guard;
  private final AuditLog audit;
  private final RefusedLogins refused;
  private final ClientNetwork network;
  private final ObjectMapper json;

  SessionRoutes(Authenticator auth, WebLogins logins, ClientNetwork network, ObjectMapper json) {
    this.auth = auth;
    this.sessions = logins.sessions();
    this.guard = logins.guard();
    this.audit = logins.audit();
    this.refused = logins.refused();
    this.network = network;
    this.json = json;
  }

  Reply login(Call call) {
    HttpExchange ex = call.exchange();
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
    String client = network.clientAddress(ex);
    Optional<Duration> wait = guard.retryAfter(username, client);
    if (wait.isPresent()) {
      refused.throttled(client, username);
      throw Callers.tooManyLogins(ex, wait.get());
    }
    Optional<Principal> who = auth.login(username, password);
    if (who.isEmpty()) {
      guard.failed(username, client);
      refused.failed(client, username);
      throw new ApiException(401, "unauthenticated", "wrong user name or password");
    }
    guard.succeeded(username, client);
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
}
