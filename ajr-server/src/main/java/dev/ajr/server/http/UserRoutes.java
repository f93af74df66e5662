package dev.ajr.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import dev.ajr.server.audit.AuditLog;
import dev.ajr.server.auth.Authenticator;
import dev.ajr.server.auth.Principal;
import dev.ajr.server.auth.Role;
import dev.ajr.server.auth.UserStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Users, for administrators ({@link Access#ADMIN}): {@code GET /api/v1/users} (a page), {@code POST
 * /api/v1/users} {@code {"username", "password", "role"}}, {@code PUT /api/v1/users/{name}} {@code
 * {"role"?, "password"?}}, {@code DELETE /api/v1/users/{name}} (with their tokens and sessions).
 *
 * <p>Contract: a user name matches {@value #NAME}; a password has {@value #MIN_PASSWORD} to {@value
 * #MAX_PASSWORD} characters; a role is viewer, operator or admin. An administrator cannot delete
 * themself, and no change may leave the server without an administrator (409). An LDAP user's
 * password is kept by the directory (400). Every change is audited; passwords never are. A change
 * takes effect at the caller's next request (remembered password checks are forgotten). A new
 * password or role ends the user's browser sessions and revokes their API tokens, unless the body
 * says {@code "keepTokens": true}.
 */
final class UserRoutes {

  static final String NAME = "[a-z_][a-z0-9_.-]{0,63}";
  static final int MIN_PASSWORD = 12;
  static final int MAX_PASSWORD = 1024;
  private static final String ROLES = "viewer, operator or admin";

  record UserView(String username, String role, String source, Instant createdAt) {
    static UserView of(UserStore.Account a) {
      return new UserView(
          a.username(), a.role().wireName(), a.ldap() ? "ldap" : "local", a.createdAt());
    }
  }

  private final UserStore users;
  private final Authenticator auth;
  private final AuditLog audit;
  private final ObjectMapper json;

  UserRoutes(UserStore users, Authenticator auth, AuditLog audit, ObjectMapper json) {
    this.users = users;
    this.auth = auth;
    this.audit = audit;
    this.json = json;
  }

  Reply page(Call call) {
    RequestParams.Paging page = RequestParams.paging(call.query());
    List<UserView> items =
        users.accounts(page.limit(), page.offset()).stream().map(UserView::of).toList();
    return new Reply(
        200,
        new JobViews.Page<>(
            items,
            (int) Math.min(users.countUsers(), Integer.MAX_VALUE),
            page.limit(),
            page.offset()));
  }

  Reply create(Call call) {
    HttpExchange ex = call.exchange();
    Principal caller = call.caller();
    JsonNode body =
        RequestParams.jsonObject(
            ex, json, 64 * 1024, "{\"username\": ..., \"password\": ..., \"role\": ...}");
    String username = RequestParams.text(body, "username");
    if (username == null || !username.matches(NAME)) {
      throw new ApiException(
          400,
          "bad_request",
          "username must start with a lowercase letter or _ and hold at most 64 of a-z 0-9 _ . -");
    }
    String password = checkedPassword(RequestParams.text(body, "password"));
    if (password == null) {
      throw new ApiException(400, "bad_request", "a password is needed");
    }
    Role role = role(RequestParams.text(body, "role"));
    if (role == null) {
      throw new ApiException(400, "bad_request", "a role is needed: " + ROLES);
    }
    if (!users.createUser(username, password, role)) {
      throw new ApiException(409, "conflict", "the user " + username + " exists already");
    }
    audit.record(caller.username(), "user.create", "user:" + username, "role " + role.wireName());
    return new Reply(201, UserView.of(account(username)));
  }

  Reply update(Call call) {
    HttpExchange ex = call.exchange();
    Principal caller = call.caller();
    String name = call.text("name");
    JsonNode body =
        RequestParams.jsonObject(
            ex, json, 64 * 1024, "{\"role\": ..., \"password\": ..., \"keepTokens\": false}");
    String password = checkedPassword(RequestParams.text(body, "password"));
    Role role = role(RequestParams.text(body, "role"));
    JsonNode keep = body.get("keepTokens");
    if (keep != null && !keep.isNull() && !keep.isBoolean()) {
      throw new ApiException(400, "bad_request", "\"keepTokens\" must be true or false");
    }
    boolean keepTokens = keep != null && keep.asBoolean(false);
    if (password == null && role == null) {
      throw new ApiException(400, "bad_request", "send a new \"role\", a new \"password\" or both");
    }
    UserStore.User user =
        users
            .user(name)
            .orElseThrow(() -> new ApiException(404, "not_found", "no such user: " + name));
    if (password != null && UserStore.LDAP_MARKER.equals(user.passwordHash())) {
      throw new ApiException(
          400, "bad_request", name + " logs in through LDAP; change the password there");
    }
    List<String> changes = new ArrayList<>();
    if (role != null && role != user.role()) {
      if (user.role() == Role.ADMIN && users.countAdmins() <= 1) {
        throw new ApiException(409, "last_admin", name + " is the last administrator");
      }
      users.setRole(name, role);
      changes.add("role " + user.role().wireName() + " -> " + role.wireName());
    }
    if (password != null) {
      users.setPassword(name, password);
      changes.add("password changed");
    }
    if (!changes.isEmpty()) {
      int sessions = users.endSessions(name);
      changes.add(sessions + " browser session(s) ended");
      if (keepTokens) {
        changes.add("API tokens kept");
      } else {
        changes.add(users.deleteTokens(name) + " API token(s) revoked");
      }
    }
    auth.forget(name);
    if (!changes.isEmpty()) {
      audit.record(caller.username(), "user.update", "user:" + name, String.join("; ", changes));
    }
    return new Reply(200, UserView.of(account(name)));
  }

  Reply delete(Call call) {
    Principal caller = call.caller();
    String name = call.text("name");
    UserStore.User user =
        users
            .user(name)
            .orElseThrow(() -> new ApiException(404, "not_found", "no such user: " + name));
    if (name.equals(caller.username())) {
      throw new ApiException(409, "self", "an administrator cannot delete themself");
    }
    if (user.role() == Role.ADMIN && users.countAdmins() <= 1) {
      throw new ApiException(409, "last_admin", name + " is the last administrator");
    }
    users.deleteUser(name);
    auth.forget(name);
    audit.record(
        caller.username(), "user.delete", "user:" + name, "role " + user.role().wireName());
    return new Reply(204, null);
  }

  private UserStore.Account account(String name) {
    return users
        .account(name)
        .orElseThrow(() -> new ApiException(404, "not_found", "no such user: " + name));
  }

  private static String checkedPassword(String password) {
    if (password == null) {
      return null;
    }
    if (password.length() < MIN_PASSWORD || password.length() > MAX_PASSWORD) {
      throw new ApiException(
          400,
          "bad_request",
          "a password has at least "
              + MIN_PASSWORD
              + " characters (and at most "
              + MAX_PASSWORD
              + ")");
    }
    return password;
  }

  private static Role role(String text) {
    if (text == null) {
      return null;
    }
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "viewer" -> Role.VIEWER;
      case "operator" -> Role.OPERATOR;
      case "admin" -> Role.ADMIN;
      default -> throw new ApiException(400, "bad_request", "role must be " + ROLES);
    };
  }
}
