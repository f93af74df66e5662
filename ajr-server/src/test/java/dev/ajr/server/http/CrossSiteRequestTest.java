package dev.ajr.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ajr.core.testing.MutableClock;
import dev.ajr.server.auth.Role;
import dev.ajr.server.auth.UserStore;
import dev.ajr.server.store.Database;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No other site can change anything through a visitor's browser, whatever credential the browser
 * attaches: replays of a page on another origin posting to the API with an administrator's
 * remembered Basic credentials, against a real server.
 */
class CrossSiteRequestTest {

  private static final String PASSWORD = "admin-password-1";
  private static final String NEW_ADMIN =
      "{\"username\":\"mallory\",\"password\":\"mallory-password-1\",\"role\":\"admin\"}";

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();

  @TempDir Path dir;
  private Database db;
  private UserStore users;
  private ApiServer server;

  @BeforeEach
  void start() {
    db = Database.openSqlite(dir);
    users = new UserStore(db, clock);
    users.putUser("admin", PASSWORD, Role.ADMIN);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    db.close();
  }

  private void serve(ClientNetwork network) throws IOException {
    server = TestApi.on(db, clock).users(users).network(network).start();
  }

  private String own() {
    return "http://127.0.0.1:" + server.port();
  }

  /** A POST creating an administrator, with the admin's Basic credentials and these headers. */
  private HttpResponse<String> createAdmin(String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(own() + "/api/v1/users"))
            .header("Authorization", BasicAuth.header("admin", PASSWORD))
            .POST(HttpRequest.BodyPublishers.ofString(NEW_ADMIN));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String code(HttpResponse<String> r) throws IOException {
    return json.readTree(r.body()).at("/error/code").asText();
  }

  @Test
  void aTextPlainFormFromAnotherSiteWithRememberedBasicCredentialsCreatesNobody() throws Exception {
    serve(ClientNetwork.DIRECT);
    // What a browser sends when a page of another origin submits <form enctype="text/plain">
    HttpResponse<String> r =
        createAdmin(
            "Content-Type", "text/plain",
            "Origin", "https://evil.example",
            "Sec-Fetch-Site", "cross-site",
            "Sec-Fetch-Mode", "navigate",
            "Sec-Fetch-Dest", "document");
    assertThat(r.statusCode()).isIn(403, 415);
    assertThat(users.user("mallory")).isEmpty();
  }

  @Test
  void aBodyThatIsNotDeclaredJsonIsRefusedEvenFromAScript() throws Exception {
    serve(ClientNetwork.DIRECT);
    for (String type :
        List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; b=x")) {
      HttpResponse<String> r = createAdmin("Content-Type", type);
      assertThat(r.statusCode()).as(type).isEqualTo(415);
      assertThat(code(r)).isEqualTo("unsupported_media_type");
    }
    HttpResponse<String> none = createAdmin();
    assertThat(none.statusCode()).isEqualTo(415);
    assertThat(users.user("mallory")).isEmpty();
  }

  @Test
  void jsonFromAnotherOriginOrSiteIsRefused() throws Exception {
    serve(ClientNetwork.DIRECT);
    HttpResponse<String> otherOrigin =
        createAdmin("Content-Type", "application/json", "Origin", "https://evil.example");
    assertThat(otherOrigin.statusCode()).isEqualTo(403);
    assertThat(code(otherOrigin)).isEqualTo("cross_origin");
    assertThat(otherOrigin.body()).contains("https://evil.example").contains(own());

    HttpResponse<String> otherPort =
        createAdmin("Content-Type", "application/json", "Origin", "http://127.0.0.1:1");
    assertThat(otherPort.statusCode()).isEqualTo(403);

    HttpResponse<String> otherScheme =
        createAdmin(
            "Content-Type", "application/json", "Origin", "https://127.0.0.1:" + server.port());
    assertThat(otherScheme.statusCode()).isEqualTo(403);

    HttpResponse<String> opaque = createAdmin("Content-Type", "application/json", "Origin", "null");
    assertThat(opaque.statusCode()).isEqualTo(403);

    for (String site : List.of("cross-site", "same-site")) {
      HttpResponse<String> r =
          createAdmin("Content-Type", "application/json", "Sec-Fetch-Site", site);
      assertThat(r.statusCode()).as(site).isEqualTo(403);
      assertThat(code(r)).isEqualTo("cross_site");
    }
    assertThat(users.user("mallory")).isEmpty();
  }

  @Test
  void scriptsAndThisServersOwnPagesKeepWorking() throws Exception {
    serve(ClientNetwork.DIRECT);
    assertThat(createAdmin("Content-Type", "application/json").statusCode()).isEqualTo(201);
    users.deleteUser("mallory");
    HttpResponse<String> fromOwnPage =
        createAdmin(
            "Content-Type", "application/json; charset=utf-8",
            "Origin", own(),
            "Sec-Fetch-Site", "same-origin",
            "Sec-Fetch-Mode", "cors");
    assertThat(fromOwnPage.statusCode()).isEqualTo(201);
    users.deleteUser("mallory");
    assertThat(
            createAdmin("Content-Type", "application/json", "Sec-Fetch-Site", "none").statusCode())
        .isEqualTo(201);
    // a POST without a body needs no Content-Type
    HttpResponse<String> logout =
        http.send(
            HttpRequest.newBuilder(URI.create(own() + "/auth/logout"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(logout.statusCode()).isEqualTo(204);
  }

  @Test
  void aLoginFromAnotherSiteIsRefusedToo() throws Exception {
    serve(ClientNetwork.DIRECT);
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(own() + "/auth/login"))
                .header("Content-Type", "application/json")
                .header("Sec-Fetch-Site", "cross-site")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"username\":\"admin\",\"password\":\"" + PASSWORD + "\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.headers().firstValue("Set-Cookie")).isEmpty();
  }

  @Test
  void noAnswerEverChallengesWithBasicSoBrowsersNeverRememberAPassword() throws Exception {
    serve(ClientNetwork.DIRECT);
    // a person typing an API address in the address bar, and a tool
    for (String[] headers :
        List.of(
            new String[] {"Sec-Fetch-Mode", "navigate", "Sec-Fetch-Site", "none"},
            new String[] {"Accept", "*/*"})) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(own() + "/api/v1/users")).headers(headers).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(r.headers().allValues("WWW-Authenticate"))
          .isNotEmpty()
          .noneMatch(v -> v.regionMatches(true, 0, "Basic", 0, 5));
      assertThat(json.readTree(r.body()).at("/error/message").asText())
          .contains("Basic")
          .contains("Bearer");
    }
  }

  @Test
  void withAPublicUrlTheHostHeaderDoesNotNameThisServer() throws Exception {
    serve(new ClientNetwork(URI.create("https://ajr.example.org"), List.of()));
    // The Host header a request came with is whatever the client wrote: with a public URL only
    // that URL's origin is this server's.
    String spoofed =
        raw(
            "POST /api/v1/users HTTP/1.1\r\n"
                + "Host: evil.example\r\n"
                + "Origin: http://evil.example\r\n"
                + "Authorization: "
                + BasicAuth.header("admin", PASSWORD)
                + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: "
                + NEW_ADMIN.length()
                + "\r\nConnection: close\r\n\r\n"
                + NEW_ADMIN);
    assertThat(spoofed).startsWith("HTTP/1.1 403");
    HttpResponse<String> hostOrigin =
        createAdmin("Content-Type", "application/json", "Origin", own());
    assertThat(hostOrigin.statusCode()).isEqualTo(403);
    assertThat(users.user("mallory")).isEmpty();
    HttpResponse<String> publicOrigin =
        createAdmin("Content-Type", "application/json", "Origin", "https://ajr.example.org");
    assertThat(publicOrigin.statusCode()).isEqualTo(201);
  }

  @Test
  void behindATrustedProxyItsForwardedSchemeAndHostNameThisServer() throws Exception {
    String viaProxy =
        "POST /api/v1/users HTTP/1.1\r\n"
            + "Host: 127.0.0.1\r\n"
            + "X-Forwarded-Proto: https\r\n"
            + "X-Forwarded-Host: ajr.example.org\r\n"
            + "Origin: https://ajr.example.org\r\n"
            + "Authorization: "
            + BasicAuth.header("admin", PASSWORD)
            + "\r\nContent-Type: application/json\r\n"
            + "Content-Length: "
            + NEW_ADMIN.length()
            + "\r\nConnection: close\r\n\r\n"
            + NEW_ADMIN;
    serve(ClientNetwork.DIRECT);
    assertThat(raw(viaProxy)).startsWith("HTTP/1.1 403"); // 127.0.0.1 is not trusted
    assertThat(users.user("mallory")).isEmpty();
    server.close();
    serve(new ClientNetwork(null, List.of(InetAddress.getByName("127.0.0.1"))));
    assertThat(raw(viaProxy)).startsWith("HTTP/1.1 201");
  }

  @Test
  void aLokiPushMayBeProtobufButNeverAFormBody() throws Exception {
    users.putUser("agent", "agent-password-1", Role.AGENT);
    serve(ClientNetwork.DIRECT);
    HttpResponse<String> form =
        http.send(
            HttpRequest.newBuilder(URI.create(own() + "/loki/api/v1/push"))
                .header("Authorization", BasicAuth.header("agent", "agent-password-1"))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{\"streams\": []}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(form.statusCode()).isEqualTo(415);
    assertThat(form.body()).contains("application/x-protobuf");
    HttpResponse<String> protobuf =
        http.send(
            HttpRequest.newBuilder(URI.create(own() + "/loki/api/v1/push"))
                .header("Authorization", BasicAuth.header("agent", "agent-password-1"))
                .header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {0}))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(protobuf.statusCode()).isNotIn(403, 415);
  }

  /** Sends a request as written (headers a Java client may not set) and reads the whole answer. */
  private String raw(String request) throws IOException {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(20_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
