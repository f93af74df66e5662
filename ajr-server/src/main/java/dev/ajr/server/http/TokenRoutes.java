package dev.ajr.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import dev.ajr.server.audit.AuditLog;
import dev.ajr.server.auth.Principal;
import dev.ajr.server.auth.UserStore;
import java.util.Map;

/**
 * A caller's own API tokens: {@code GET /api/v1/tokens} ({@code {"items": [{"id", "name",
 * "createdAt"}]}}), {@code POST /api/v1/tokens} {@code {"name"?}} (the token is in the answer,
 * once), {@code DELETE /api/v1/tokens/{id}}.
 *
 * <p>Contract: nobody sees or revokes another user's tokens (another's id is "not found"); a token
 * is never listed or audited, only its id and name. Creation and revocation are audited.
 */
final class TokenRoutes {

  record TokenView(long id, String name, java.time.Instant createdAt) {}

  private final UserStore users;
  private final AuditLog audit;
  private final ObjectMapper json;

  TokenRoutes(UserStore users, AuditLog audit, ObjectMapper json) {
    this.users = users;
    this.audit = audit;
    this.json = json;
  }

  Reply list(Call call) {
    return new Reply(
        200,
        Map.of(
            "items",
            users.tokens(call.caller().username()).stream()
                .map(t -> new TokenView(t.id(), t.name(), t.createdAt()))
                .toList()));
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
        throw new ApiException(400, "bad_request", "the body must be JSON like {\"name\": \"ci\"}");
      }
      JsonNode n = body.get("name");
      if (n != null && !n.isNull()) {
        name = n.asText();
      }
    }
    if (name.length() > 255) {
      throw new ApiException(400, "bad_request", "a token name has at most 255 characters");
    }
    String token = users.createToken(caller.username(), name);
    audit.record(
        caller.username(), "token.create", "user:" + caller.username(), "token \"" + name + "\"");
    return new Reply(201, Map.of("token", token, "name", name, "username", caller.username()));
  }
}
