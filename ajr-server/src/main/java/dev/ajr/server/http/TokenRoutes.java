package dev.ajr.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import dev.ajr.server.audit.AuditLog;
import dev.ajr.server.auth.Principal;
import dev.ajr.server.auth.UserStore;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A caller's own API tokens: {@code GET /api/v1/tokens} ({@code {"items": [{"id", "name",
 * "createdAt", "expiresAt", "lastUsedAt"}]}}), {@code POST /api/v1/tokens} {@code {"name"?,
 * "expiresAt"?}} (the token is in the answer, once), {@code DELETE /api/v1/tokens/{id}}.
 *
 * <p>Contract: nobody sees or revokes another user's tokens (another's id is "not found"); a token
 * is never listed or audited, only its id and name. A token with {@code expiresAt} (an ISO-8601
 * time in the future) stops working then; without, it works until revoked (or its user's password
 * or role changes). {@code lastUsedAt} is when it last authenticated a request, to the minute.
 * Creation and revocation are audited.
 */
final class TokenRoutes {

  record TokenView(long id, String name, Instant createdAt, Instant expiresAt, Instant lastUsedAt) {
    static TokenView of(UserStore.Token t) {
      return new TokenView(t.id(), t.name(), t.createdAt(), t.expiresAt(), t.lastUsedAt());
    }
  }

  private final UserStore users;
  private final AuditLog audit;
  private final ObjectMapper json;

  private final Clock clock;

  TokenRoutes(UserStore users, AuditLog audit, ObjectMapper json, Clock clock) {
    this.users = users;
    this.audit = audit;
    this.json = json;
    this.clock = clock;
  }

  Reply list(Call call) {
    return new Reply(
        200,
        Map.of(
            "items", users.tokens(call.caller().username()).stream().map(TokenView::of).toList()));
  }

  Reply revoke(Call call) {
    Principal caller = call.caller();
    long id = call.id("id");
    String name =
        users.tokens(caller.username()).stream()
            .filter(t -> t.id() == id)
            .map(UserStore.Token::name)
            .findFirst()
            .orElse("");
    if (!users.deleteToken(caller.username(), id)) {
      throw new ApiException(404, "not_found", "you have no token " + id);
    }
    audit.record(caller.username(), "token.revoke", "token:" + id, "token \"" + name + "\"");
    return new Reply(204, null);
  }

  Reply create(Call call) {
    HttpExchange ex = call.exchange();
    Principal caller = call.caller();
    String name = "token";
    Instant expiresAt = null;
    byte[] peek;
    JsonNode body = null;
    try (var in = ex.getRequestBody()) {
      peek = in.readNBytes(64 * 1024 + 1);
    } catch (java.io.IOException e) {
      throw new ApiException(400, "bad_request", "the body could not be read");
    }
    if (peek.length > 64 * 1024) {
      throw new ApiException(413, "too_large", "the body is larger than 64 KiB");
    }
    if (peek.length > 0) {
      try {
        body = json.readTree(peek);
      } catch (java.io.IOException e) {
        body = null;
      }
      if (body == null || !body.isObject()) {
        throw new ApiException(
            400,
            "bad_request",
            "the body must be JSON like {\"name\": \"ci\", \"expiresAt\": \"2027-01-01T00:00:00Z\"}");
      }
      JsonNode n = body.get("name");
      if (n != null && !n.isNull()) {
        name = n.asText();
      }
      expiresAt = expiry(RequestParams.text(body, "expiresAt"));
    }
    if (name.length() > 255) {
      throw new ApiException(400, "bad_request", "a token name has at most 255 characters");
    }
    String token = users.createToken(caller.username(), name, expiresAt);
    audit.record(
        caller.username(),
        "token.create",
        "user:" + caller.username(),
        "token \"" + name + "\"" + (expiresAt == null ? "" : ", expires " + expiresAt));
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("token", token);
    answer.put("name", name);
    answer.put("username", caller.username());
    answer.put("expiresAt", expiresAt);
    return new Reply(201, answer);
  }

  /** The expiry asked for, or null for none; it must be in the future. */
  private Instant expiry(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    Instant at = RequestParams.instant(Map.of("expiresAt", text), "expiresAt", null);
    if (!at.isAfter(clock.instant())) {
      throw new ApiException(400, "bad_request", "expiresAt must be in the future");
    }
    return at;
  }
}
