package dev.ajr.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ajr.core.testing.MutableClock;
import dev.ajr.server.auth.LoginGuard;
import dev.ajr.server.auth.Role;
import dev.ajr.server.auth.UserStore;
import dev.ajr.server.auth.WebSessions;
import dev.ajr.server.store.Database;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Browser logins: the session cookie, CSRF, the login rate limit, logout, and anonymous calls. */
class WebSessionTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<String> audited = new ArrayList<>();

  @TempDir Path dataDir;
  private Database db;
  private ApiServer server;
  private UserStore users;

  @BeforeEach
  void start() throws IOException {
    db = Database.openSqlite(dataDir);
    users = new UserStore(db, clock);
    users.putUser("alice", "alice-password-1", Role.VIEWER);
    users.putUser("olga", "olga-password-12", Role.OPERATOR);
    server =
        TestApi.on(db, clock)
            .users(users)
            .logins(
                new WebLogins(
                    new WebSessions(db, clock, Duration.ofHours(12), Duration.ofHours(2)),
                    new LoginGuard(clock, 3, 10, Duration.ofMinutes(15)),
                    (actor, action, target, detail) -> audited.add(actor + " " + action),
                    clock))
            .start();
  }

  @AfterEach
  void stop() {
    server.close();
    db.close();
  }

  private HttpResponse<String> login(String user, String password) throws Exception {
    return send(
        HttpRequest.newBuilder(uri("/auth/login"))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    json.writeValueAsString(
                        java.util.Map.of("username", user, "password", password)))));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  private static String sessionCookie(HttpResponse<?> r) {
    String header = r.headers().firstValue("Set-Cookie").orElseThrow();
    Matcher m = Pattern.compile("ajr_session=([^;]*)").matcher(header);
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  @Test
  void aLoginSetsASecureHttpOnlyStrictCookieAndTheSessionReadsTheApi() throws Exception {
    HttpResponse<String> r = login("alice", "alice-password-1");
    assertThat(r.statusCode()).isEqualTo(200);
    String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(cookie).contains("HttpOnly").contains("Secure").contains("SameSite=Strict");
    JsonNode body = json.readTree(r.body());
    assertThat(body.get("role").asText()).isEqualTo("viewer");
    String csrf = body.get("csrfToken").asText();
    assertThat(csrf).hasSizeGreaterThan(20);
    assertThat(r.body()).doesNotContain(sessionCookie(r));

    HttpResponse<String> me =
        send(
            HttpRequest.newBuilder(uri("/api/v1/me"))
                .header("Cookie", "ajr_session=" + sessionCookie(r)));
    assertThat(me.statusCode()).isEqualTo(200);
    assertThat(json.readTree(me.body()).get("username").asText()).isEqualTo("alice");
    assertThat(json.readTree(me.body()).get("csrfToken").asText()).isEqualTo(csrf);
    assertThat(audited).contains("alice login.ok");
  }

  @Test
  void aStateChangingCallWithTheCookieNeedsTheCsrfToken() throws Exception {
    HttpResponse<String> r = login("alice", "alice-password-1");
    String cookie = "ajr_session=" + sessionCookie(r);
    String csrf = json.readTree(r.body()).get("csrfToken").asText();
    HttpRequest.Builder create =
        HttpRequest.newBuilder(uri("/api/v1/tokens"))
            .header("Cookie", cookie)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"ci\"}"));
    HttpResponse<String> without = send(create);
    assertThat(without.statusCode()).isEqualTo(403);
    assertThat(json.readTree(without.body()).at("/error/code").asText()).isEqualTo("csrf");
    HttpResponse<String> wrong = send(create.copy().header("X-CSRF-Token", csrf + "x"));
    assertThat(wrong.statusCode()).isEqualTo(403);
    HttpResponse<String> right = send(create.copy().header("X-CSRF-Token", csrf));
    assertThat(right.statusCode()).isEqualTo(201);
  }

  @Test
  void aLoginFromAnotherSiteOrAsAFormIsRefused() throws Exception {
    HttpResponse<String> form =
        send(
            HttpRequest.newBuilder(uri("/auth/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "username=alice&password=alice-password-1")));
    assertThat(form.statusCode()).isEqualTo(415);
    HttpResponse<String> crossSite =
        send(
            HttpRequest.newBuilder(uri("/auth/login"))
                .header("Content-Type", "application/json")
                .header("Origin", "https://evil.example")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"username\":\"alice\",\"password\":\"alice-password-1\"}")));
    assertThat(crossSite.statusCode()).isEqualTo(403);
    assertThat(crossSite.headers().firstValue("Set-Cookie")).isEmpty();
  }

  @Test
  void failedLoginsAreRateLimitedPerUserNameAndASuccessLaterWorks() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertThat(login("alice", "wrong-" + i).statusCode()).isEqualTo(401);
    }
    HttpResponse<String> limited = login("alice", "alice-password-1");
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("Retry-After")).isPresent();
    assertThat(json.readTree(limited.body()).at("/error/code").asText())
        .isEqualTo("too_many_attempts");
    // HTTP Basic is limited by the same count
    HttpResponse<String> basic =
        send(
            HttpRequest.newBuilder(uri("/api/v1/me"))
                .header("Authorization", BasicAuth.header("alice", "alice-password-1")));
    assertThat(basic.statusCode()).isEqualTo(429);
    // another user is not locked out by alice's failures
    assertThat(login("olga", "olga-password-12").statusCode()).isEqualTo(200);
    clock.advance(Duration.ofMinutes(16));
    assertThat(login("alice", "alice-password-1").statusCode()).isEqualTo(200);
    // refused logins are audited by client address (one row per address and minute), not by name
    assertThat(audited).contains("anonymous login.failed", "anonymous login.refused");
  }

  @Test
  void logoutEndsTheSessionAndIdleSessionsExpire() throws Exception {
    HttpResponse<String> r = login("olga", "olga-password-12");
    String cookie = "ajr_session=" + sessionCookie(r);
    String csrf = json.readTree(r.body()).get("csrfToken").asText();
    HttpResponse<String> out =
        send(
            HttpRequest.newBuilder(uri("/auth/logout"))
                .header("Cookie", cookie)
                .header("X-CSRF-Token", csrf)
                .POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(out.statusCode()).isEqualTo(204);
    assertThat(out.headers().firstValue("Set-Cookie").orElseThrow()).contains("Max-Age=0");
    assertThat(
            send(HttpRequest.newBuilder(uri("/api/v1/me")).header("Cookie", cookie)).statusCode())
        .isEqualTo(401);

    HttpResponse<String> again = login("olga", "olga-password-12");
    String cookie2 = "ajr_session=" + sessionCookie(again);
    clock.advance(Duration.ofMinutes(119));
    assertThat(
            send(HttpRequest.newBuilder(uri("/api/v1/me")).header("Cookie", cookie2)).statusCode())
        .isEqualTo(200);
    clock.advance(Duration.ofMinutes(121));
    assertThat(
            send(HttpRequest.newBuilder(uri("/api/v1/me")).header("Cookie", cookie2)).statusCode())
        .isEqualTo(401);
  }

  @Test
  void aDeletedUsersSessionStopsWorkingAtOnce() throws Exception {
    HttpResponse<String> r = login("alice", "alice-password-1");
    String cookie = "ajr_session=" + sessionCookie(r);
    db.update("DELETE FROM users WHERE username = ?", "alice");
    assertThat(
            send(HttpRequest.newBuilder(uri("/api/v1/me")).header("Cookie", cookie)).statusCode())
        .isEqualTo(401);
  }

  @Test
  void everyApiPathInTheOpenApiDocumentRefusesAnonymousCalls() throws Exception {
    String spec;
    try (var in = ApiServer.class.getResourceAsStream("openapi.yaml")) {
      spec = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    JsonNode doc =
        new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readTree(spec);
    List<String> checked = new ArrayList<>();
    List<String> open = new ArrayList<>();
    var paths = doc.get("paths").fields();
    while (paths.hasNext()) {
      var entry = paths.next();
      String base =
          entry.getValue().has("servers")
              ? entry.getValue().at("/servers/0/url").asText().replaceAll("/$", "")
              : "/api/v1";
      String path = entry.getKey().replaceAll("\\{[^}]+}", "1");
      var methods = entry.getValue().fieldNames();
      while (methods.hasNext()) {
        String method = methods.next().toUpperCase(java.util.Locale.ROOT);
        if (!List.of("GET", "POST", "PUT", "DELETE").contains(method)) {
          continue;
        }
        String full = base + path;
        JsonNode security =
            entry.getValue().get(method.toLowerCase(java.util.Locale.ROOT)).get("security");
        if (security != null
            && security.isEmpty()) { // declared open: the login form's calls, the checks
          open.add(method + " " + full);
          continue;
        }
        HttpResponse<String> r =
            send(
                HttpRequest.newBuilder(uri(full))
                    .method(method, HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(r.statusCode()).as(method + " " + full).isEqualTo(401);
        assertThat(json.readTree(r.body()).at("/error/code").asText())
            .as(method + " " + full)
            .isEqualTo("unauthenticated");
        checked.add(method + " " + full);
      }
    }
    assertThat(checked)
        .hasSizeGreaterThan(20)
        .contains(
            "GET /api/v1/jobs", "GET /api/v1/stream", "GET /api/v1/users", "POST /api/v1/diagnose");
    assertThat(checked)
        .contains(
            "POST /api/v1/nodes/1/undrain", "POST /loki/api/v1/push", "GET /api/v1/openapi.yaml");
    assertThat(open)
        .containsExactlyInAnyOrder(
            "POST /auth/login", "POST /auth/logout", "GET /healthz", "GET /readyz");
  }

  @Test
  void neitherABrowserNorAToolIsChallengedWithBasic() throws Exception {
    HttpResponse<String> fromPage =
        send(HttpRequest.newBuilder(uri("/api/v1/me")).header("Sec-Fetch-Mode", "cors"));
    assertThat(fromPage.statusCode()).isEqualTo(401);
    assertThat(fromPage.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"ajr\"");
    HttpResponse<String> fromCurl = send(HttpRequest.newBuilder(uri("/api/v1/me")));
    assertThat(fromCurl.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"ajr\"");
  }

  @Test
  void pagesAreServedWithoutDataAndWithStrictHeaders() throws Exception {
    HttpResponse<String> page = send(HttpRequest.newBuilder(uri("/ui/workflows")));
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("/ui/assets/app.js");
    assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
        .contains("script-src 'self'")
        .contains("frame-ancestors 'none'");
    assertThat(page.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    HttpResponse<String> script = send(HttpRequest.newBuilder(uri("/ui/assets/app.js")));
    assertThat(script.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("text/javascript");
    assertThat(send(HttpRequest.newBuilder(uri("/ui/assets/../../x.js"))).statusCode())
        .isEqualTo(404);
    HttpResponse<String> guide =
        send(HttpRequest.newBuilder(uri("/mission-control/recovery-engine/dashboard/workflow")));
    assertThat(guide.statusCode()).isEqualTo(302);
    assertThat(guide.headers().firstValue("Location")).contains("/ui/workflows");
  }
}
