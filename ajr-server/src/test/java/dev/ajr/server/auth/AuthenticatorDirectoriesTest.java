package dev.ajr.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ajr.server.store.Database;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The order in which the Authenticator asks the local users and the external directories. */
class AuthenticatorDirectoriesTest {

  private final Clock clock = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);

  @TempDir Path dataDir;
  private Database db;
  private UserStore users;

  /** A directory of fixed users; records who was asked. */
  private static final class FakeDirectory implements Directory {
    final Map<String, String> passwords = new HashMap<>();
    final Map<String, Role> roles = new HashMap<>();
    final List<String> asked = new ArrayList<>();
    boolean down;

    FakeDirectory with(String user, String password, Role role) {
      passwords.put(user, password);
      roles.put(user, role);
      return this;
    }

    @Override
    public Optional<Principal> login(String username, String password) {
      asked.add(username);
      if (down) {
        throw new Directory.Unavailable("the fake directory is down", null);
      }
      return password.equals(passwords.get(username))
          ? Optional.of(new Principal(username, roles.get(username)))
          : Optional.empty();
    }
  }

  @BeforeEach
  void open() {
    db = Database.openSqlite(dataDir);
    users = new UserStore(db, clock);
    users.putUser("admin", "admin-pass", Role.ADMIN);
  }

  @AfterEach
  void close() {
    db.close();
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aLocalUserWinsAndTheDirectoryIsNotAskedForTheirName() {
    FakeDirectory ldap = new FakeDirectory().with("admin", "directory-pass", Role.VIEWER);
    Authenticator auth = new Authenticator(users, clock, List.of(ldap));

    assertThat(auth.login("admin", "admin-pass")).contains(new Principal("admin", Role.ADMIN));
    assertThat(auth.login("admin", "directory-pass")).isEmpty();
    assertThat(ldap.asked).isEmpty();
    assertThat(users.user("admin").orElseThrow().passwordHash())
        .isNotEqualTo(UserStore.NO_LOCAL_PASSWORD);
  }

  @Test
  void aDirectoryUserIsRecordedWithoutALocalPasswordAndTheirTokensWork() {
    FakeDirectory ldap = new FakeDirectory().with("carol", "carol-pass", Role.OPERATOR);
    Authenticator auth = new Authenticator(users, clock, List.of(ldap));

    assertThat(auth.login("carol", "carol-pass")).contains(new Principal("carol", Role.OPERATOR));

    UserStore.User carol = users.user("carol").orElseThrow();
    assertThat(carol.passwordHash()).isEqualTo("!ldap");
    assertThat(carol.role()).isEqualTo(Role.OPERATOR);
    String token = users.createToken("carol", "ci");
    assertThat(auth.authenticate("Bearer " + token))
        .contains(new Principal("carol", Role.OPERATOR));
  }

  @Test
  void theRoleFollowsTheDirectoryAtTheLatestLogin() {
    FakeDirectory ldap = new FakeDirectory().with("carol", "carol-pass", Role.ADMIN);
    Authenticator auth = new Authenticator(users, clock, List.of(ldap));
    auth.login("carol", "carol-pass");
    String token = users.createToken("carol", "ci");

    ldap.with("carol", "carol-pass", Role.VIEWER);
    assertThat(auth.login("carol", "carol-pass")).contains(new Principal("carol", Role.VIEWER));

    assertThat(users.user("carol").orElseThrow().role()).isEqualTo(Role.VIEWER);
    assertThat(auth.authenticate("Bearer " + token)).map(Principal::role).contains(Role.VIEWER);
  }

  @Test
  void theNoLocalPasswordMarkNeverVerifiesLocally() {
    FakeDirectory ldap = new FakeDirectory().with("carol", "carol-pass", Role.VIEWER);
    new Authenticator(users, clock, List.of(ldap)).login("carol", "carol-pass");

    LocalDirectory local = new LocalDirectory(users);
    assertThat(local.login("carol", "!ldap")).isEmpty();
    assertThat(local.login("carol", "carol-pass")).isEmpty();
    assertThat(local.hasLocalPassword("carol")).isFalse();
    assertThat(local.hasLocalPassword("admin")).isTrue();
    // without the directory, a recorded directory user cannot log in at all
    assertThat(new Authenticator(users, clock).login("carol", "!ldap")).isEmpty();
    assertThat(new Authenticator(users, clock).login("carol", "carol-pass")).isEmpty();
  }

  @Test
  void directoriesAreAskedInOrderUntilOneKnowsTheUser() {
    FakeDirectory first = new FakeDirectory().with("dave", "first-pass", Role.VIEWER);
    FakeDirectory second = new FakeDirectory().with("erin", "erin-pass", Role.OPERATOR);
    Authenticator auth = new Authenticator(users, clock, List.of(first, second));

    assertThat(auth.login("dave", "first-pass")).contains(new Principal("dave", Role.VIEWER));
    assertThat(second.asked).isEmpty();
    assertThat(auth.login("erin", "erin-pass")).contains(new Principal("erin", Role.OPERATOR));
    assertThat(first.asked).containsExactly("dave", "erin");
    assertThat(auth.login("nobody", "x")).isEmpty();
  }

  @Test
  void anUnavailableDirectoryIsReportedUnlessAnotherLetsTheUserIn() {
    FakeDirectory down = new FakeDirectory();
    down.down = true;
    FakeDirectory up = new FakeDirectory().with("erin", "erin-pass", Role.VIEWER);
    Authenticator auth = new Authenticator(users, clock, List.of(down, up));

    assertThat(auth.login("erin", "erin-pass")).isPresent();
    assertThatThrownBy(() -> auth.login("erin", "wrong")).isInstanceOf(Directory.Unavailable.class);
    // local users still log in while the directory is down
    assertThat(auth.login("admin", "admin-pass")).isPresent();
    assertThat(auth.login("admin", "wrong")).isEmpty();
  }

  @Test
  void aDirectoryNameThatIsALocalUserInAnotherSpellingIsRefusedAndNotOverwritten() {
    Directory ldap = (username, password) -> Optional.of(new Principal("admin", Role.VIEWER));
    Authenticator auth = new Authenticator(users, clock, List.of(ldap));

    // the directory spells "ADMIN" as "admin", the name of a local user
    assertThat(auth.login("ADMIN", "directory-pass")).isEmpty();
    assertThat(users.user("admin").orElseThrow().role()).isEqualTo(Role.ADMIN);
    assertThat(auth.login("admin", "admin-pass")).isPresent();
  }

  @Test
  void emptyPasswordsNeverReachTheDirectory() {
    FakeDirectory ldap = new FakeDirectory().with("carol", "", Role.ADMIN);
    Authenticator auth = new Authenticator(users, clock, List.of(ldap));

    assertThat(auth.login("carol", "")).isEmpty();
    assertThat(auth.authenticate(basic("carol", ""))).isEmpty();
    assertThat(ldap.asked).isEmpty();
  }

  @Test
  void httpBasicLogsADirectoryUserIn() {
    FakeDirectory ldap = new FakeDirectory().with("carol", "carol-pass", Role.OPERATOR);
    Authenticator auth = new Authenticator(users, clock, List.of(ldap));

    assertThat(auth.authenticate(basic("carol", "carol-pass")))
        .contains(new Principal("carol", Role.OPERATOR));
    assertThat(auth.authenticate(basic("carol", "wrong"))).isEmpty();
  }
}
