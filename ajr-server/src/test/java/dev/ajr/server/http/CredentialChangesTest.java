package dev.ajr.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ajr.core.testing.MutableClock;
import dev.ajr.server.auth.Role;
import dev.ajr.server.auth.UserStore;
import dev.ajr.server.store.Database;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new password or role ends the user's sessions and (unless kept) revokes their API tokens;
 * tokens may expire and show when they were last used. Against a real server.
 */
class CredentialChangesTest {

  private static final String ADMIN = "admin-password-1";
  private static final String ALICE = "alice-password-1";

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();

  @TempDir Path dir;
  private Database db;
  private UserStore users;
  private ApiServer server;

  @BeforeEach
  void start() throws Exception {
    db = Database.openSqlite(dir);
    users = new UserStore(db, clock);
    users.putUser("admin", ADMIN, Role.ADMIN);
    users.putUser("alice", ALICE, Role.VIEWER);
    server = TestApi.on(db, clock).users(users).start();
  }

  @AfterEach
  void stop() {
    server.close();
    db.close();
  }

  private HttpResponse<String> send(
      String method, String path, String authorization, String cookie, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    if (cookie != null) {
      b.header("Cookie", cookie);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String sessionOf(String user, String password) throws Exception {
    HttpResponse<String> r =
        send(
            "POST",
            "/auth/login",
            null,
            null,
            json.writeValueAsString(Map.of("username", user, "password", password)));
    assertThat(r.statusCode()).isEqualTo(200);
    Matcher m =
        Pattern.compile("ajr_session=([^;]*)")
            .matcher(r.headers().firstValue("Set-Cookie").orElseThrow());
    assertThat(m.find()).isTrue();
    return "ajr_session=" + m.group(1);
  }

  private String tokenOf(String user, String password, String body) throws Exception {
    HttpResponse<String> r =
        send("POST", "/api/v1/tokens", BasicAuth.header(user, password), null, body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return json.readTree(r.body()).get("token").asText();
  }

  private int me(String authorization, String cookie) throws Exception {
    return send("GET", "/api/v1/me", authorization, cookie, null).statusCode();
  }

  private HttpResponse<String> changeAlice(String body) throws Exception {
    return send("PUT", "/api/v1/users/alice", BasicAuth.header("admin", ADMIN), null, body);
  }

  @Test
  void aPasswordResetEndsTheSessionsAndRevokesTheTokens() throws Exception {
    String cookie = sessionOf("alice", ALICE);
    String token = tokenOf("alice", ALICE, "{\"name\":\"ci\"}");
    assertThat(me(null, cookie)).isEqualTo(200);
    assertThat(me("Bearer " + token, null)).isEqualTo(200);

    HttpResponse<String> reset = changeAlice("{\"password\":\"a-brand-new-password\"}");
    assertThat(reset.statusCode()).isEqualTo(200);

    assertThat(me(null, cookie)).isEqualTo(401);
    assertThat(me("Bearer " + token, null)).isEqualTo(401);
    assertThat(users.tokens("alice")).isEmpty();
    assertThat(me(BasicAuth.header("alice", "a-brand-new-password"), null)).isEqualTo(200);
  }

  @Test
  void aRoleChangeEndsTheSessionsAndMayKeepTheTokensWhenTheAdminAsks() throws Exception {
    String cookie = sessionOf("alice", ALICE);
    String token = tokenOf("alice", ALICE, null);

    HttpResponse<String> promote = changeAlice("{\"role\":\"operator\",\"keepTokens\":true}");
    assertThat(promote.statusCode()).isEqualTo(200);

    assertThat(me(null, cookie)).isEqualTo(401);
    HttpResponse<String> withToken = send("GET", "/api/v1/me", "Bearer " + token, null, null);
    assertThat(withToken.statusCode()).isEqualTo(200);
    assertThat(json.readTree(withToken.body()).get("role").asText()).isEqualTo("operator");

    assertThat(changeAlice("{\"role\":\"viewer\"}").statusCode()).isEqualTo(200);
    assertThat(me("Bearer " + token, null)).isEqualTo(401);
  }

  @Test
  void aChangeThatChangesNothingEndsNothing() throws Exception {
    String cookie = sessionOf("alice", ALICE);
    assertThat(changeAlice("{\"role\":\"viewer\"}").statusCode()).isEqualTo(200);
    assertThat(me(null, cookie)).isEqualTo(200);
  }

  @Test
  void aTokenMayExpireAndItsListingShowsWhenItWasLastUsed() throws Exception {
    String expiring =
        tokenOf("alice", ALICE, "{\"name\":\"ci\",\"expiresAt\":\"2026-03-01T11:00:00Z\"}");
    String lasting = tokenOf("alice", ALICE, "{\"name\":\"cron\"}");

    JsonNode before =
        json.readTree(send("GET", "/api/v1/tokens", "Bearer " + lasting, null, null).body());
    JsonNode ci = before.get("items").get(0);
    assertThat(ci.get("name").asText()).isEqualTo("ci");
    assertThat(ci.get("expiresAt").asText()).isEqualTo("2026-03-01T11:00:00Z");
    assertThat(ci.get("lastUsedAt").isNull()).isTrue();
    assertThat(before.get("items").get(1).get("expiresAt").isNull()).isTrue();
    assertThat(before.get("items").get(1).get("lastUsedAt").asText())
        .isEqualTo("2026-03-01T10:00:00Z");

    clock.advance(Duration.ofMinutes(30));
    assertThat(me("Bearer " + expiring, null)).isEqualTo(200);
    JsonNode after =
        json.readTree(send("GET", "/api/v1/tokens", "Bearer " + lasting, null, null).body());
    assertThat(after.get("items").get(0).get("lastUsedAt").asText())
        .isEqualTo("2026-03-01T10:30:00Z");

    clock.advance(Duration.ofMinutes(30));
    assertThat(me("Bearer " + expiring, null)).isEqualTo(401);
    assertThat(me("Bearer " + lasting, null)).isEqualTo(200);
  }

  @Test
  void anExpiryInThePastOrNotATimeIsRefused() throws Exception {
    for (String expiry : new String[] {"2026-03-01T09:00:00Z", "tomorrow", "99999-99-99"}) {
      HttpResponse<String> r =
          send(
              "POST",
              "/api/v1/tokens",
              BasicAuth.header("alice", ALICE),
              null,
              "{\"expiresAt\":\"" + expiry + "\"}");
      assertThat(r.statusCode()).as(expiry).isEqualTo(400);
      assertThat(json.readTree(r.body()).at("/error/message").asText()).contains("expiresAt");
    }
    assertThat(users.tokens("alice")).isEmpty();
  }
}
