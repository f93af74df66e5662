package dev.ajr.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.server.store.Database;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A login costs the same password check whether or not the name is a local user's, so the time a
 * refusal takes does not tell which names exist.
 */
class LocalDirectoryTest {

  @TempDir Path dir;
  private Database db;
  private UserStore users;
  private final List<String> checkedHashes = new ArrayList<>();
  private LocalDirectory directory;

  @BeforeEach
  void open() {
    db = Database.openSqlite(dir);
    users = new UserStore(db, Clock.systemUTC());
    users.putUser("alice", "alice-password-1", Role.VIEWER);
    users.putDirectoryUser("dora", Role.OPERATOR); // an LDAP user: no local password
    directory =
        new LocalDirectory(
            users,
            (password, hash) -> {
              checkedHashes.add(hash);
              return PasswordHasher.verify(password, hash);
            });
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void anUnknownNameCostsOneFullPasswordCheckAsAWrongPasswordDoes() {
    assertThat(directory.login("alice", "wrong-password")).isEmpty();
    assertThat(directory.login("nobody", "wrong-password")).isEmpty();
    assertThat(directory.login("dora", "wrong-password")).isEmpty();

    assertThat(checkedHashes).hasSize(3);
    String alices = users.user("alice").orElseThrow().passwordHash();
    assertThat(checkedHashes.get(0)).isEqualTo(alices);
    assertThat(checkedHashes.get(1)).isEqualTo(LocalDirectory.dummyHash());
    assertThat(checkedHashes.get(2)).isEqualTo(LocalDirectory.dummyHash());
    // the same kind of hash, with the same work factor, as a real password's
    assertThat(LocalDirectory.dummyHash().split("\\$")[1]).isEqualTo(alices.split("\\$")[1]);
  }

  @Test
  void theRightPasswordStillLetsTheUserIn() {
    assertThat(directory.login("alice", "alice-password-1"))
        .map(Principal::username)
        .contains("alice");
  }
}
