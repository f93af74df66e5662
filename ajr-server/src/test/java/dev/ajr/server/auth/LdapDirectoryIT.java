package dev.ajr.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ajr.server.http.ApiServer;
import dev.ajr.server.http.TestApi;
import dev.ajr.server.store.Database;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** LDAP logins against a real OpenLDAP slapd ({@link Slapd}); needs no Slurm. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LdapDirectoryIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final Clock clock = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);
  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir Path dataDir;
  private Slapd slapd;
  private LdapDirectory ldaps;

  @BeforeAll
  void startSlapd() throws Exception {
    slapd = Slapd.start();
    slapd.addGroup("ajr-admins");
    slapd.addGroup("ajr-operators");
    slapd.addUser("alice", "alice-pass");
    slapd.addUser("olga", "olga-pass", "ajr-operators");
    slapd.addUser("adam", "adam-pass", "ajr-admins", "ajr-operators");
    slapd.addUser("pete", "pete-pass");
    slapd.addUser("carol", "carol-pass", "ajr-operators");
    slapd.addPosixGroup("hpc-ops", 5000, "pete");
    slapd.addUser("bob", "bob-pass");
    slapd.addUser("bobby", "bobby-pass");
    ldaps = new LdapDirectory(settings(slapd.ldapsUri(), slapd.caCert(), slapd.bindPassword()));
  }

  @AfterAll
  void stopSlapd() {
    if (ldaps != null) {
      ldaps.close();
    }
    if (slapd != null) {
      slapd.close();
    }
  }

  private LdapSettings settings(String uri, Path ca, String bindPassword) {
    return settings(uri, ca, bindPassword, LdapSettings.DEFAULT_USER_FILTER);
  }

  private LdapSettings settings(String uri, Path ca, String bindPassword, String filter) {
    return LdapSettings.of(
        uri,
        slapd.bindDn(),
        bindPassword,
        slapd.searchBase(),
        filter,
        ca,
        slapd.groupDn("ajr-admins"),
        slapd.groupDn("ajr-operators"),
        TIMEOUT);
  }

  @Test
  void aUserLogsInOverLdapsWithTheConfiguredCa() {
    assertThat(ldaps.login("alice", "alice-pass")).contains(new Principal("alice", Role.VIEWER));
  }

  @Test
  void theHostNameInTheCertificateIsAcceptedByName() {
    try (LdapDirectory byName =
        new LdapDirectory(settings(slapd.ldapsUriByName(), slapd.caCert(), slapd.bindPassword()))) {
      assertThat(byName.login("alice", "alice-pass")).isPresent();
    }
  }

  @Test
  void aServerWhoseCertificateDoesNotNameItsHostIsRefused() {
    try (LdapDirectory otherHost =
        new LdapDirectory(
            settings(slapd.ldapsUriNotInCertificate(), slapd.caCert(), slapd.bindPassword()))) {
      assertThatThrownBy(() -> otherHost.login("alice", "alice-pass"))
          .isInstanceOf(Directory.Unavailable.class)
          .hasMessageContaining("127.0.0.2")
          .hasMessageContaining("certificate");
    }
  }

  @Test
  void plainLdapWorksToo() {
    try (LdapDirectory plain =
        new LdapDirectory(settings(slapd.uri(), null, slapd.bindPassword()))) {
      assertThat(plain.login("olga", "olga-pass")).contains(new Principal("olga", Role.OPERATOR));
    }
  }

  @Test
  void aWrongPasswordAnUnknownUserAndAnEmptyPasswordAreRefused() {
    assertThat(ldaps.login("alice", "wrong")).isEmpty();
    assertThat(ldaps.login("alice", "ALICE-PASS")).isEmpty();
    assertThat(ldaps.login("mallory", "alice-pass")).isEmpty();
    assertThat(ldaps.login("alice", "")).isEmpty();
    assertThat(ldaps.login("", "")).isEmpty();
    assertThat(ldaps.login("", "alice-pass")).isEmpty();
    // the connection the wrong password was tried on is the service account's again
    assertThat(ldaps.login("alice", "alice-pass")).isPresent();
  }

  @Test
  void namesThatWouldChangeTheFilterFindNobody() {
    for (String name :
        List.of("*", "a*", "*)(uid=*", "alice)(uid=*", "alice)(|(uid=*", "*)(|(objectClass=*")) {
      assertThat(ldaps.login(name, "alice-pass")).as(name).isEmpty();
    }
    assertThat(ldaps.login("alice\u0000", "alice-pass")).isEmpty();
  }

  @Test
  void aNameTheFilterFindsTwiceIsRefused() {
    try (LdapDirectory prefix =
        new LdapDirectory(
            settings(slapd.ldapsUri(), slapd.caCert(), slapd.bindPassword(), "(uid={0}*)"))) {
      assertThat(prefix.login("bobby", "bobby-pass")).isPresent(); // one entry: bobby
      assertThat(prefix.login("bob", "bob-pass")).isEmpty(); // bob and bobby
    }
  }

  @Test
  void theRoleComesFromGroupMembership() {
    assertThat(ldaps.login("alice", "alice-pass")).map(Principal::role).contains(Role.VIEWER);
    assertThat(ldaps.login("olga", "olga-pass")).map(Principal::role).contains(Role.OPERATOR);
    assertThat(ldaps.login("adam", "adam-pass")).map(Principal::role).contains(Role.ADMIN);
  }

  @Test
  void aPosixGroupNamesItsMembersByUid() {
    LdapSettings posix =
        LdapSettings.of(
            slapd.ldapsUri(),
            slapd.bindDn(),
            slapd.bindPassword(),
            slapd.searchBase(),
            "",
            slapd.caCert(),
            slapd.groupDn("nonexistent-admins"),
            slapd.groupDn("hpc-ops"),
            TIMEOUT);
    try (LdapDirectory directory = new LdapDirectory(posix)) {
      assertThat(directory.login("pete", "pete-pass"))
          .contains(new Principal("pete", Role.OPERATOR));
      assertThat(directory.login("alice", "alice-pass"))
          .contains(new Principal("alice", Role.VIEWER));
    }
  }

  @Test
  void theNameIsTheDirectorysSpelling() {
    assertThat(ldaps.login("ALICE", "alice-pass")).contains(new Principal("alice", Role.VIEWER));
  }

  @Test
  void aCaThatDidNotIssueTheServerCertificateMakesTheDirectoryUnavailable() throws Exception {
    try (LdapDirectory wrongCa =
        new LdapDirectory(
            settings(slapd.ldapsUri(), slapd.untrustedCaCert(), slapd.bindPassword()))) {
      assertThatThrownBy(() -> wrongCa.login("alice", "alice-pass"))
          .isInstanceOf(Directory.Unavailable.class)
          .hasMessageContaining("certificate")
          .hasMessageContaining(slapd.untrustedCaCert().toString());
    }
  }

  @Test
  void aWrongServicePasswordMakesTheDirectoryUnavailableWithoutShowingIt() {
    String wrong = "not-the-service-password";
    try (LdapDirectory badBind =
        new LdapDirectory(settings(slapd.ldapsUri(), slapd.caCert(), wrong))) {
      assertThatThrownBy(() -> badBind.login("alice", "alice-pass"))
          .isInstanceOf(Directory.Unavailable.class)
          .hasMessageContaining("auth.ldap.bind-dn")
          .hasMessageContaining(slapd.bindDn())
          .hasMessageNotContaining(wrong)
          .hasMessageNotContaining("alice-pass");
    }
  }

  @Test
  void aStoppedServerMakesTheDirectoryUnavailableAndTheApiSays503() throws Exception {
    try (Slapd own = Slapd.start();
        Database db = Database.openSqlite(dataDir.resolve("stopped"))) {
      own.addUser("dora", "dora-pass");
      LdapSettings s =
          LdapSettings.of(
              own.ldapsUri(),
              own.bindDn(),
              own.bindPassword(),
              own.searchBase(),
              "",
              own.caCert(),
              "",
              "",
              TIMEOUT);
      UserStore users = new UserStore(db, clock);
      try (LdapDirectory directory = new LdapDirectory(s);
          Served api = serve(db, users, directory)) {
        assertThat(directory.login("dora", "dora-pass")).isPresent();

        own.stop();

        assertThatThrownBy(() -> directory.login("dora", "dora-pass"))
            .isInstanceOf(Directory.Unavailable.class)
            .hasMessageContaining(own.ldapsUri())
            .hasMessageNotContaining("dora-pass");
        HttpResponse<String> me = api.get("/api/v1/me", basic("dora", "other-pass"));
        assertThat(me.statusCode()).isEqualTo(503);
        assertThat(json.readTree(me.body()).at("/error/code").asText())
            .isEqualTo("directory_unavailable");
      }
    }
  }

  @Test
  void anLdapUserUsesTheApiWithBasicAndWithATokenTheyCreated() throws Exception {
    try (Database db = Database.openSqlite(dataDir.resolve("api"))) {
      UserStore users = new UserStore(db, clock);
      users.putUser("admin", "admin-pass", Role.ADMIN);
      try (Served api = serve(db, users, ldaps)) {
        HttpResponse<String> me = api.get("/api/v1/me", basic("carol", "carol-pass"));
        assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
        JsonNode body = json.readTree(me.body());
        assertThat(body.get("username").asText()).isEqualTo("carol");
        assertThat(body.get("role").asText()).isEqualTo("operator");
        assertThat(users.user("carol").orElseThrow().passwordHash())
            .isEqualTo(UserStore.NO_LOCAL_PASSWORD);

        HttpResponse<String> created =
            http.send(
                HttpRequest.newBuilder(api.uri("/api/v1/tokens"))
                    .header("Authorization", basic("carol", "carol-pass"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"ci\"}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String token = json.readTree(created.body()).get("token").asText();

        HttpResponse<String> byToken = api.get("/api/v1/me", "Bearer " + token);
        assertThat(byToken.statusCode()).isEqualTo(200);
        assertThat(json.readTree(byToken.body()).get("username").asText()).isEqualTo("carol");
        assertThat(json.readTree(byToken.body()).get("role").asText()).isEqualTo("operator");

        assertThat(api.get("/api/v1/me", basic("carol", "wrong")).statusCode()).isEqualTo(401);
        assertThat(api.get("/api/v1/me", basic("admin", "admin-pass")).statusCode()).isEqualTo(200);
      }
    }
  }

  private record Served(ApiServer server, HttpClient http) implements AutoCloseable {
    URI uri(String path) {
      return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    HttpResponse<String> get(String path, String authorization) throws Exception {
      return http.send(
          HttpRequest.newBuilder(uri(path)).header("Authorization", authorization).GET().build(),
          HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
      server.close();
    }
  }

  private Served serve(Database db, UserStore users, Directory directory) throws Exception {
    ApiServer server =
        TestApi.on(db, clock)
            .users(users)
            .auth(new Authenticator(users, clock, List.of(directory)))
            .start();
    return new Served(server, http);
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }
}
