package dev.ajr.server.auth;

import dev.ajr.server.store.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Local users and API tokens in the database. Thread-safe. */
public final class UserStore {

  /**
   * The password hash of a user who logs in through an external directory (LDAP): it never
   * verifies, so such a user has no local password.
   */
  public static final String NO_LOCAL_PASSWORD = "!ldap";

  /** A stored user. */
  public record User(String username, String passwordHash, Role role) {}

  private final Database db;
  private final Clock clock;

  public UserStore(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  public Optional<User> user(String username) {
    return db.queryOne(
        "SELECT username, password_hash, role FROM users WHERE username = ?",
        UserStore::toUser,
        username);
  }

  public boolean hasUsers() {
    return db.queryOne("SELECT COUNT(*) AS n FROM users", r -> r.getInt("n")).orElse(0) > 0;
  }

  /** Creates the user, or replaces its password and role. */
  public void putUser(String username, String password, Role role) {
    db.update(
        db.dialect()
            .upsert(
                "users",
                List.of("username"),
                List.of("username", "password_hash", "role", "created_at"),
                List.of("password_hash", "role")),
        username,
        PasswordHasher.hash(password),
        role.wireName(),
        clock.instant());
  }

  /**
   * Records a user an external directory let in, with the role it gave and {@link
   * #NO_LOCAL_PASSWORD}, so API tokens work for them and their role follows the directory at each
   * login. Never replaces a user who has a local password: then nothing changes and the answer is
   * false.
   */
  public boolean putDirectoryUser(String username, Role role) {
    Optional<User> existing = user(username);
    if (existing.isPresent() && !NO_LOCAL_PASSWORD.equals(existing.get().passwordHash())) {
      return false;
    }
    if (existing.isPresent() && existing.get().role() == role) {
      return true;
    }
    db.update(
        db.dialect()
            .upsert(
                "users",
                List.of("username"),
                List.of("username", "password_hash", "role", "created_at"),
                List.of("password_hash", "role")),
        username,
        NO_LOCAL_PASSWORD,
        role.wireName(),
        clock.instant());
    return true;
  }

  /** Creates an API token for the user; returns the token, which is shown once and not stored. */
  public String createToken(String username, String name) {
    String token = "ajr_" + PasswordHasher.randomSecret();
    db.update(
        "INSERT INTO api_tokens (username, name, token_hash, created_at) VALUES (?, ?, ?, ?)",
        username,
        name,
        PasswordHasher.digest(token),
        clock.instant());
    return token;
  }

  /**
   * Records a token made elsewhere (the agent token file) for the user, unless it is known already.
   */
  public void registerToken(String username, String name, String token) {
    if (userForToken(token).isPresent()) {
      return;
    }
    db.update(
        "INSERT INTO api_tokens (username, name, token_hash, created_at) VALUES (?, ?, ?, ?)",
        username,
        name,
        PasswordHasher.digest(token),
        clock.instant());
  }

  /** The user a token belongs to. */
  public Optional<User> userForToken(String token) {
    return db.queryOne(
        "SELECT u.username, u.password_hash, u.role FROM api_tokens t"
            + " JOIN users u ON u.username = t.username WHERE t.token_hash = ?",
        UserStore::toUser,
        PasswordHasher.digest(token));
  }

  private static User toUser(ResultSet r) throws SQLException {
    return new User(
        r.getString("username"),
        r.getString("password_hash"),
        Role.valueOf(r.getString("role").toUpperCase(Locale.ROOT)));
  }
}
