package dev.ajr.server.auth;

import dev.ajr.server.store.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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

  /** The password hash that marks a user who logs in through LDAP (no local password). */
  public static final String LDAP_MARKER = "!ldap";

  /** A user as listed for administrators: no password hash. */
  public record Account(String username, Role role, boolean ldap, Instant createdAt) {}

  /**
   * One API token as listed to its owner: never the token or its hash.
   *
   * @param expiresAt when it stops working, or null: never
   * @param lastUsedAt when it last authenticated a request (to the minute), or null: never
   */
  public record Token(
      long id, String name, Instant createdAt, Instant expiresAt, Instant lastUsedAt) {}

  /** How often at most a token's last-used time is written. */
  private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

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
    return createToken(username, name, null);
  }

  /**
   * Creates an API token that stops working at {@code expiresAt} (null: never); returns the token,
   * which is shown once and not stored.
   */
  public String createToken(String username, String name, Instant expiresAt) {
    String token = "ajr_" + PasswordHasher.randomSecret();
    insertToken(username, name, token, expiresAt);
    return token;
  }

  /**
   * Records a token made elsewhere (the agent token file) for the user, unless it is known already.
   */
  public void registerToken(String username, String name, String token) {
    if (db.queryOne(
            "SELECT id FROM api_tokens WHERE token_hash = ?",
            r -> r.getLong("id"),
            PasswordHasher.digest(token))
        .isPresent()) {
      return;
    }
    insertToken(username, name, token, null);
  }

  /** Stores the token's digest, never the token. */
  private void insertToken(String username, String name, String token, Instant expiresAt) {
    db.update(
        "INSERT INTO api_tokens (username, name, token_hash, created_at, expires_at)"
            + " VALUES (?, ?, ?, ?, ?)",
        username,
        name,
        PasswordHasher.digest(token),
        clock.instant(),
        expiresAt);
  }

  /**
   * The user a token belongs to, unless it expired; notes when it was used (at most once a minute).
   */
  public Optional<User> userForToken(String token) {
    String hash = PasswordHasher.digest(token);
    Instant now = clock.instant();
    record Row(User user, Instant expiresAt, Instant lastUsedAt) {}
    Optional<Row> row =
        db.queryOne(
            "SELECT u.username, u.password_hash, u.role, t.expires_at, t.last_used_at"
                + " FROM api_tokens t JOIN users u ON u.username = t.username"
                + " WHERE t.token_hash = ?",
            r ->
                new Row(
                    toUser(r),
                    Database.instant(r, "expires_at"),
                    Database.instant(r, "last_used_at")),
            hash);
    if (row.isEmpty() || (row.get().expiresAt() != null && !now.isBefore(row.get().expiresAt()))) {
      return Optional.empty();
    }
    Instant last = row.get().lastUsedAt();
    if (last == null || !now.isBefore(last.plus(TOUCH_EVERY))) {
      db.update("UPDATE api_tokens SET last_used_at = ? WHERE token_hash = ?", now, hash);
    }
    return Optional.of(row.get().user());
  }

  /** A page of users, by name. */
  public List<Account> accounts(int limit, int offset) {
    return db.query(
        "SELECT username, password_hash, role, created_at FROM users ORDER BY username"
            + " LIMIT ? OFFSET ?",
        UserStore::toAccount,
        limit,
        offset);
  }

  public Optional<Account> account(String username) {
    return db.queryOne(
        "SELECT username, password_hash, role, created_at FROM users WHERE username = ?",
        UserStore::toAccount,
        username);
  }

  private static Account toAccount(ResultSet r) throws SQLException {
    return new Account(
        r.getString("username"),
        Role.valueOf(r.getString("role").toUpperCase(Locale.ROOT)),
        LDAP_MARKER.equals(r.getString("password_hash")),
        Database.instant(r, "created_at"));
  }

  public long countUsers() {
    return db.queryOne("SELECT COUNT(*) AS n FROM users", r -> r.getLong("n")).orElse(0L);
  }

  public long countAdmins() {
    return db.queryOne(
            "SELECT COUNT(*) AS n FROM users WHERE role = ?",
            r -> r.getLong("n"),
            Role.ADMIN.wireName())
        .orElse(0L);
  }

  /** Creates a local user; false when the name is taken. */
  public boolean createUser(String username, String password, Role role) {
    return db.inTransaction(c -> {
      try (var ps = c.prepareStatement("SELECT 1 FROM users WHERE username = ?")) {
        ps.setString(1, username);
        try (var r = ps.executeQuery()) {
          if (r.next()) {
            return false;
          }
        }
      }
      try (var ps =
          c.prepareStatement(
              "INSERT INTO users (username, password_hash, role, created_at) VALUES (?, ?, ?, ?)")) {
        ps.setString(1, username);
        ps.setString(2, PasswordHasher.hash(password));
        ps.setString(3, role.wireName());
        ps.setLong(4, clock.millis());
        ps.executeUpdate();
      }
      return true;
    });
  }

  /** Changes a user's role; false when there is no such user. */
  public boolean setRole(String username, Role role) {
    return db.update("UPDATE users SET role = ? WHERE username = ?", role.wireName(), username) > 0;
  }

  /** Sets a local password (an LDAP user becomes local); false when there is no such user. */
  public boolean setPassword(String username, String password) {
    return db.update(
            "UPDATE users SET password_hash = ? WHERE username = ?",
            PasswordHasher.hash(password),
            username)
        > 0;
  }

  /**
   * Deletes the user with their API tokens and browser sessions, in one transaction; false when
   * there is no such user.
   */
  public boolean deleteUser(String username) {
    return db.inTransaction(c -> {
      for (String sql :
          List.of(
              "DELETE FROM api_tokens WHERE username = ?",
              "DELETE FROM web_sessions WHERE username = ?")) {
        try (var ps = c.prepareStatement(sql)) {
          ps.setString(1, username);
          ps.executeUpdate();
        }
      }
      try (var ps = c.prepareStatement("DELETE FROM users WHERE username = ?")) {
        ps.setString(1, username);
        return ps.executeUpdate() > 0;
      }
    });
  }

  /** The user's API tokens, oldest first, expired ones too. */
  public List<Token> tokens(String username) {
    return db.query(
        "SELECT id, name, created_at, expires_at, last_used_at FROM api_tokens"
            + " WHERE username = ? ORDER BY id",
        r ->
            new Token(
                r.getLong("id"),
                r.getString("name"),
                Database.instant(r, "created_at"),
                Database.instant(r, "expires_at"),
                Database.instant(r, "last_used_at")),
        username);
  }

  /** Revokes every API token of the user; returns how many. */
  public int deleteTokens(String username) {
    return db.update("DELETE FROM api_tokens WHERE username = ?", username);
  }

  /** Ends every browser session of the user; returns how many. */
  public int endSessions(String username) {
    return db.update("DELETE FROM web_sessions WHERE username = ?", username);
  }

  /** Revokes one of the user's tokens; false when the user has no token with that id. */
  public boolean deleteToken(String username, long id) {
    return db.update("DELETE FROM api_tokens WHERE id = ? AND username = ?", id, username) > 0;
  }

  private static User toUser(ResultSet r) throws SQLException {
    return new User(
        r.getString("username"),
        r.getString("password_hash"),
        Role.valueOf(r.getString("role").toUpperCase(Locale.ROOT)));
  }
}
