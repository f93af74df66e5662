package dev.ajr.server.auth;

import dev.ajr.server.store.Database;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * Browser sessions, kept in the database so that every replica knows them.
 *
 * <p>Contract: a session id is 32 random bytes, handed to the browser once (in an HttpOnly cookie)
 * and stored only as its SHA-256. A session ends at its absolute lifetime, after {@code idle}
 * without requests, at logout, or when its user is deleted (the role is read from the users table
 * at each lookup, so a role change applies at once). Each session has its own CSRF token that
 * state-changing requests must echo. Thread-safe.
 */
public final class WebSessions {

  /** How often at most a session's last-seen time is written (reads stay cheap). */
  private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

  /** A new session: {@code id} goes into the cookie and is not stored. */
  public record Created(String id, Session session) {}

  /** A live session. */
  public record Session(Principal principal, String csrfToken, Instant expiresAt) {

    /** Whether the header value is this session's CSRF token (constant-time comparison). */
    public boolean csrfMatches(String header) {
      return header != null
          && MessageDigest.isEqual(
              csrfToken.getBytes(StandardCharsets.UTF_8), header.getBytes(StandardCharsets.UTF_8));
    }
  }

  private final Database db;
  private final Clock clock;
  private final Duration lifetime;
  private final Duration idle;

  public WebSessions(Database db, Clock clock, Duration lifetime, Duration idle) {
    this.db = db;
    this.clock = clock;
    this.lifetime = lifetime;
    this.idle = idle;
  }

  public Duration lifetime() {
    return lifetime;
  }

  /** Starts a session for someone who just proved who they are. */
  public Created create(Principal principal) {
    String id = PasswordHasher.randomSecret();
    String csrf = PasswordHasher.randomSecret();
    Instant now = clock.instant();
    Instant expires = now.plus(lifetime);
    db.update(
        "INSERT INTO web_sessions (id_hash, username, csrf_token, created_at, last_seen_at,"
            + " expires_at) VALUES (?, ?, ?, ?, ?, ?)",
        PasswordHasher.digest(id),
        principal.username(),
        csrf,
        now,
        now,
        expires);
    return new Created(id, new Session(principal, csrf, expires));
  }

  /** The live session with this id, or empty (unknown, expired, idle too long, user gone). */
  public Optional<Session> find(String id) {
    if (id == null || id.isEmpty() || id.length() > 128) {
      return Optional.empty();
    }
    String hash = PasswordHasher.digest(id);
    Instant now = clock.instant();
    record Row(Session session, Instant lastSeen) {}
    Optional<Row> row =
        db.queryOne(
            "SELECT s.username, s.csrf_token, s.last_seen_at, s.expires_at, u.role"
                + " FROM web_sessions s JOIN users u ON u.username = s.username"
                + " WHERE s.id_hash = ?",
            r ->
                new Row(
                    new Session(
                        new Principal(
                            r.getString("username"),
                            Role.valueOf(r.getString("role").toUpperCase(Locale.ROOT))),
                        r.getString("csrf_token"),
                        Database.instant(r, "expires_at")),
                    Database.instant(r, "last_seen_at")),
            hash);
    if (row.isEmpty()) {
      return Optional.empty();
    }
    Row r = row.get();
    if (!now.isBefore(r.session.expiresAt()) || !now.isBefore(r.lastSeen.plus(idle))) {
      end(id);
      return Optional.empty();
    }
    if (!now.isBefore(r.lastSeen.plus(TOUCH_EVERY))) {
      db.update("UPDATE web_sessions SET last_seen_at = ? WHERE id_hash = ?", now, hash);
    }
    return Optional.of(r.session);
  }

  /** Ends the session (logout); unknown ids are ignored. */
  public void end(String id) {
    if (id != null) {
      db.update("DELETE FROM web_sessions WHERE id_hash = ?", PasswordHasher.digest(id));
    }
  }

  /** Deletes sessions past their lifetime; returns how many. */
  public int prune() {
    return db.update("DELETE FROM web_sessions WHERE expires_at <= ?", clock.instant());
  }
}
