package dev.ajr.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ajr.server.auth.Role;
import dev.ajr.server.auth.UserStore;
import dev.ajr.server.store.Database;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dates and numbers out of range in query filters are a short 400, never an exception's text. */
class QueryFilterBoundsTest {

  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();

  @TempDir Path dir;
  private Database db;
  private ApiServer server;

  @BeforeEach
  void start() throws Exception {
    db = Database.openSqlite(dir);
    UserStore users = new UserStore(db, Clock.systemUTC());
    users.putUser("admin", "admin-password-1", Role.ADMIN);
    server = TestApi.on(db, Clock.systemUTC()).users(users).start();
  }

  @AfterEach
  void stop() {
    server.close();
    db.close();
  }

  @Test
  void everyFilterOutOfRangeIsAShortBadRequest() throws Exception {
    List<String> paths = List.of("/api/v1/jobs", "/api/v1/audit", "/api/v1/kpis");
    List<String> queries =
        List.of(
            "since=99999-99-99",
            "since=" + enc("+1000000000-01-01T00:00:00Z"),
            "until=" + enc("-999999999-01-01T00:00:00Z"),
            "since=" + enc("+10000-01-01T00:00:00Z"),
            "until=2026-13-45T99:00:00Z");
    for (String path : paths) {
      for (String query : queries) {
        assertShortBadRequest(path + "?" + query);
      }
    }
    for (String path : List.of("/api/v1/jobs", "/api/v1/audit", "/api/v1/users")) {
      assertShortBadRequest(path + "?limit=99999999999999999999");
      assertShortBadRequest(path + "?offset=-1");
      assertShortBadRequest(path + "?limit=0");
    }
  }

  @Test
  void timesWithinTheRangeAreServed() throws Exception {
    for (String path :
        List.of(
            "/api/v1/jobs?since=2026-01-01T00:00:00Z&until=2026-02-01T00:00:00Z",
            "/api/v1/audit?since=0000-01-01T00:00:00Z&until=9999-12-31T00:00:00Z",
            "/api/v1/kpis?since=2026-01-01T00:00:00Z&until=2026-01-08T00:00:00Z")) {
      assertThat(get(path).statusCode()).as(path).isEqualTo(200);
    }
  }

  private void assertShortBadRequest(String path) throws Exception {
    HttpResponse<String> r = get(path);
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(400);
    String message = json.readTree(r.body()).at("/error/message").asText();
    assertThat(message)
        .as(path)
        .hasSizeLessThan(160)
        .doesNotContain("Exception")
        .doesNotContain("could not be parsed")
        .doesNotContain("overflow")
        .doesNotContain("Text '");
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .header("Authorization", BasicAuth.header("admin", "admin-password-1"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
