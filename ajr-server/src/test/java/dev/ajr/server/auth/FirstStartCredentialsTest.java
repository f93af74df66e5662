package dev.ajr.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ajr.server.store.Database;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FirstStartCredentialsTest {

  @TempDir Path dataDir;
  private Database db;
  private UserStore users;

  @BeforeEach
  void open() {
    db = Database.openSqlite(dataDir);
    users = new UserStore(db, Clock.systemUTC());
  }

  @AfterEach
  void closeDatabase() {
    db.close();
  }

  private FirstStartCredentials credentials(String adminPassword) {
    return new FirstStartCredentials(users, dataDir, dataDir.resolve("agent.token"), adminPassword);
  }

  @Test
  void theFirstAdministratorTakesThePasswordFromTheEnvironment() throws IOException {
    FirstStartCredentials first = credentials("correct horse battery");

    first.start();

    assertThat(
            PasswordHasher.verify(
                "correct horse battery", users.user("admin").orElseThrow().passwordHash()))
        .isTrue();
    assertThat(first.adminPasswordNote()).isEqualTo("user admin, password from AJR_ADMIN_PASSWORD");
    assertThat(dataDir.resolve(FirstStartCredentials.ADMIN_PASSWORD_FILE)).doesNotExist();
  }

  @Test
  void withoutOneARandomPasswordIsWrittenForItsOwnerOnly() throws IOException {
    FirstStartCredentials first = credentials(null);

    first.start();

    Path file = dataDir.resolve(FirstStartCredentials.ADMIN_PASSWORD_FILE);
    String password = Files.readString(file).strip();
    assertThat(password).hasSize(20);
    assertThat(PasswordHasher.verify(password, users.user("admin").orElseThrow().passwordHash()))
        .isTrue();
    assertThat(Files.getPosixFilePermissions(file))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(first.adminPasswordNote()).endsWith(file.toAbsolutePath().toString());
  }

  @Test
  void aServerWithUsersKeepsThemAndSaysNothing() throws IOException {
    users.putUser("alice", "alice's long password", Role.ADMIN);
    FirstStartCredentials again = credentials("ignored once users exist");

    again.start();

    assertThat(users.user("admin")).isEmpty();
    assertThat(again.adminPasswordNote()).isEmpty();
  }

  @Test
  void agentsGetATokenFileOnceAndTheSameTokenWorksAfterARestart() throws IOException {
    credentials(null).start();
    Path file = dataDir.resolve("agent.token");
    String token = Files.readString(file).strip();
    assertThat(Files.getPosixFilePermissions(file))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));

    credentials(null).start();

    assertThat(Files.readString(file).strip()).isEqualTo(token);
    assertThat(users.userForToken(token).orElseThrow().role()).isEqualTo(Role.AGENT);
  }

  @Test
  void anEmptyTokenFileIsRefusedWithWhatToDo() throws IOException {
    Files.writeString(dataDir.resolve("agent.token"), "\n");

    assertThatThrownBy(() -> credentials(null).start())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("is empty; delete it for a new one");
  }
}
