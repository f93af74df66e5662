package dev.ajr.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.server.store.Database;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthenticatorTest {

  private final Clock clock = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);

  @TempDir static Path dataDir;
  private Database db;
  private UserStore users;

  @BeforeAll
  void createUsers() {
    db = Database.openSqlite(dataDir);
    users = new UserStore(db, clock);
    users.putUser("admin", "admin-pass", Role.ADMIN);
    users.putUser("alice", "alice-pass", Role.VIEWER);
  }

  @AfterAll
  void close() {
    db.close();
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void userStoreKeepsUsersWithTheirRoleAndAHashNotThePassword() {
    assertThat(users.hasUsers()).isTrue();
    UserStore.User alice = users.user("alice").orElseThrow();

    assertThat(alice.role()).isEqualTo(Role.VIEWER);
    assertThat(alice.passwordHash()).doesNotContain("alice-pass");
    assertThat(PasswordHasher.verify("alice-pass", alice.passwordHash())).isTrue();
    assertThat(users.user("nobody")).isEmpty();
  }

  @Test
  void basicWithTheRightPasswordGivesThePrincipalWithItsRole() {
    Authenticator auth = new Authenticator(users, clock);

    assertThat(auth.authenticate(basic("admin", "admin-pass")))
        .contains(new Principal("admin", Role.ADMIN));
    assertThat(auth.authenticate(basic("alice", "alice-pass")))
        .contains(new Principal("alice", Role.VIEWER));
  }

  @Test
  void theSchemeNameIsCaseInsensitive() {
    Authenticator auth = new Authenticator(users, clock);

    assertThat(auth.authenticate("basic " + basic("alice", "alice-pass").substring(6)))
        .contains(new Principal("alice", Role.VIEWER));
  }

  @Test
  void aRememberedLoginStillRejectsAWrongPassword() {
    Authenticator auth = new Authenticator(users, clock);
    assertThat(auth.authenticate(basic("alice", "alice-pass"))).isPresent();

    assertThat(auth.authenticate(basic("alice", "alice-pass2"))).isEmpty();
  }

  @Test
  void basicWithAWrongPasswordIsEmpty() {
    assertThat(new Authenticator(users, clock).authenticate(basic("admin", "wrong"))).isEmpty();
  }

  @Test
  void basicForAnUnknownUserIsEmpty() {
    assertThat(new Authenticator(users, clock).authenticate(basic("mallory", "admin-pass")))
        .isEmpty();
  }

  @Test
  void aTokenFromCreateTokenAuthenticatesItsUserAsBearer() {
    String token = users.createToken("alice", "ci");

    assertThat(token).startsWith("ajr_");
    assertThat(new Authenticator(users, clock).authenticate("Bearer " + token))
        .contains(new Principal("alice", Role.VIEWER));
    assertThat(users.userForToken(token)).map(UserStore.User::username).contains("alice");
  }

  @Test
  void aMadeUpTokenIsEmpty() {
    Authenticator auth = new Authenticator(users, clock);

    assertThat(auth.authenticate("Bearer ajr_madeUpTokenThatWasNeverIssued")).isEmpty();
    assertThat(auth.authenticate("Bearer ")).isEmpty();
  }

  @Test
  void garbageHeadersAreEmpty() {
    Authenticator auth = new Authenticator(users, clock);

    assertThat(auth.authenticate(null)).isEmpty();
    assertThat(auth.authenticate("")).isEmpty();
    assertThat(auth.authenticate("Digest username=admin")).isEmpty();
    assertThat(auth.authenticate("Basic !!!not-base64!!!")).isEmpty();
    assertThat(
            auth.authenticate("Basic " + Base64.getEncoder().encodeToString("no-colon".getBytes())))
        .isEmpty();
    assertThat(auth.authenticate("Basic")).isEmpty();
  }

  @Test
  void putUserReplacesThePasswordAndRole() {
    users.putUser("carol", "first", Role.VIEWER);
    users.putUser("carol", "second", Role.OPERATOR);
    Authenticator auth = new Authenticator(users, clock);

    assertThat(auth.authenticate(basic("carol", "first"))).isEmpty();
    assertThat(auth.authenticate(basic("carol", "second")))
        .contains(new Principal("carol", Role.OPERATOR));
  }
}
