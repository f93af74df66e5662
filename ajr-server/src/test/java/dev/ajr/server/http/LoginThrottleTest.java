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
import dev.ajr.server.store.SqlAuditLog;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failed logins slow guessing down without ever locking anyone out, the administrator included;
 * addresses come from a trusted proxy's X-Forwarded-For only; refused logins are audited one row
 * per address and minute. Against a real server; the clients' addresses are set by a proxy this
 * server trusts (127.0.0.1).
 */
class LoginThrottleTest {

  private static final String ADMIN_PASSWORD = "admin-password-1";
  private static final String ATTACKER = "203.0.113.7";
  private static final String OFFICE = "198.51.100.2";

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:10Z"));
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();

  @TempDir Path dir;
  private Database db;
  private UserStore users;
  private SqlAuditLog audit;
  private ApiServer server;

  @BeforeEach
  void start() {
    db = Database.openSqlite(dir);
    users = new UserStore(db, clock);
    users.putUser("admin", ADMIN_PASSWORD, Role.ADMIN);
    users.putUser("alice", "alice-password-1", Role.VIEWER);
    audit = new SqlAuditLog(db, clock);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    db.close();
  }

  private void serve(ClientNetwork network, LoginGuard guard) throws IOException {
    server =
        TestApi.on(db, clock)
            .users(users)
            .network(network)
            .logins(
                new WebLogins(
                    new WebSessions(db, clock, Duration.ofHours(12), Duration.ofHours(2)),
                    guard,
                    audit,
                    clock))
            .start();
  }

  private void serveBehindProxy() throws IOException {
    serve(
        new ClientNetwork(null, List.of(InetAddress.getByName("127.0.0.1"))),
        new LoginGuard(clock, 3, 5, Duration.ofMinutes(15)));
  }

  private HttpResponse<String> login(String from, String user, String password) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/auth/login"))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    json.writeValueAsString(Map.of("username", user, "password", password))));
    if (from != null) {
      b.header("X-Forwarded-For", "10.9.9.9, " + from);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void wrongPasswordsNeverLockTheAdministratorOut() throws Exception {
    serveBehindProxy();
    for (int i = 0; i < 3; i++) {
      assertThat(login(ATTACKER, "admin", "guess-" + i).statusCode()).isEqualTo(401);
    }
    HttpResponse<String> held = login(ATTACKER, "admin", "guess-3");
    assertThat(held.statusCode()).isEqualTo(429);
    assertThat(held.headers().firstValue("Retry-After")).contains("1");

    // the right password from another address works at once
    assertThat(login(OFFICE, "admin", ADMIN_PASSWORD).statusCode()).isEqualTo(200);
    // from the guessing address, once the short wait is over
    assertThat(login(ATTACKER, "admin", ADMIN_PASSWORD).statusCode()).isEqualTo(429);
    clock.advance(Duration.ofSeconds(1));
    assertThat(login(ATTACKER, "admin", ADMIN_PASSWORD).statusCode()).isEqualTo(200);
  }

  @Test
  void theWaitGrowsWithEachFailureUpToItsCap() throws Exception {
    serve(
        new ClientNetwork(null, List.of(InetAddress.getByName("127.0.0.1"))),
        new LoginGuard(clock, 3, 100, Duration.ofMinutes(15), Duration.ofSeconds(4)));
    List<String> seen = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      HttpResponse<String> r = login(ATTACKER, "alice", "guess-" + i);
      if (r.statusCode() == 429) {
        String wait = r.headers().firstValue("Retry-After").orElseThrow();
        seen.add("wait " + wait);
        clock.advance(Duration.ofSeconds(Long.parseLong(wait)));
      } else {
        seen.add(String.valueOf(r.statusCode()));
      }
    }
    assertThat(seen)
        .containsExactly(
            "401", "401", "401", "wait 1", "401", "wait 2", "401", "wait 4", "401", "wait 4");
  }

  @Test
  void manyNamesFromOneAddressSlowItButLockNobodyBehindItForLong() throws Exception {
    serveBehindProxy();
    for (String name : List.of("root", "oracle", "test", "guest", "admin")) {
      assertThat(login(ATTACKER, name, "123456").statusCode()).isEqualTo(401);
    }
    HttpResponse<String> held = login(ATTACKER, "alice", "alice-password-1");
    assertThat(held.statusCode()).isEqualTo(429);
    assertThat(Long.parseLong(held.headers().firstValue("Retry-After").orElseThrow()))
        .isBetween(1L, 30L);
    assertThat(login(OFFICE, "alice", "alice-password-1").statusCode()).isEqualTo(200);
    clock.advance(Duration.ofSeconds(30));
    assertThat(login(ATTACKER, "alice", "alice-password-1").statusCode()).isEqualTo(200);
  }

  @Test
  void aClientThatIsNoTrustedProxyCannotChooseItsAddress() throws Exception {
    serve(ClientNetwork.DIRECT, new LoginGuard(clock, 3, 5, Duration.ofMinutes(15)));
    for (int i = 0; i < 3; i++) {
      assertThat(login("192.0.2." + i, "admin", "guess-" + i).statusCode()).isEqualTo(401);
    }
    // a new X-Forwarded-For each time does not escape the throttle: the peer is the client
    assertThat(login("192.0.2.99", "admin", "guess-x").statusCode()).isEqualTo(429);
  }

  @Test
  void refusedLoginsAreAuditedOneRowPerAddressAndMinuteWithACount() throws Exception {
    serveBehindProxy();
    for (int i = 0; i < 3; i++) {
      login(ATTACKER, "admin", "guess-" + i);
    }
    login(ATTACKER, "admin", "guess-3"); // throttled
    login(ATTACKER, "root", "guess-4"); // the address's 4th failure
    login(ATTACKER, "admin", "guess-5"); // throttled
    login(OFFICE, "alice", "typo");

    List<SqlAuditLog.Entry> rows = audit.page(SqlAuditLog.Filter.ALL, 50, 0);
    assertThat(rows)
        .extracting(e -> e.action() + " " + e.target() + " x" + e.count())
        .containsExactlyInAnyOrder(
            "login.failed address:" + ATTACKER + " x4",
            "login.refused address:" + ATTACKER + " x2",
            "login.failed address:" + OFFICE + " x1");
    SqlAuditLog.Entry failed =
        rows.stream()
            .filter(e -> e.action().equals("login.failed") && e.target().contains(ATTACKER))
            .findFirst()
            .orElseThrow();
    assertThat(failed.at()).isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
    assertThat(failed.detail()).contains("admin").contains("root").doesNotContain("guess");

    // the API shows the count
    HttpResponse<String> page =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:" + server.port() + "/api/v1/audit?action=login.failed"))
                .header("Authorization", BasicAuth.header("admin", ADMIN_PASSWORD))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    JsonNode items = json.readTree(page.body()).get("items");
    assertThat(items).hasSize(2);
    assertThat(items.findValuesAsText("count")).containsExactlyInAnyOrder("4", "1");

    // the next minute has a row of its own
    clock.advance(Duration.ofMinutes(1));
    login(ATTACKER, "admin", "guess-6");
    assertThat(audit.count(new SqlAuditLog.Filter(null, "login.failed", null, null))).isEqualTo(3);
  }
}
