package dev.ajr.server.auth;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks the {@code Authorization} header: HTTP Basic with a local user's password, or {@code
 * Bearer} with an API token. A password check costs a deliberately slow hash, so a successful one
 * is remembered for a few minutes under a digest of the credentials (never the password itself).
 * Thread-safe.
 */
public final class Authenticator {

  private static final Duration REMEMBER = Duration.ofMinutes(5);
  private static final int MAX_REMEMBERED = 10_000;

  private final UserStore users;
  private final Clock clock;
  private final Map<String, Remembered> verified = new ConcurrentHashMap<>();

  private record Remembered(Principal principal, Instant until) {}

  public Authenticator(UserStore users, Clock clock) {
    this.users = users;
    this.clock = clock;
  }

  /** The caller, or empty when the header is missing or wrong. */
  public Optional<Principal> authenticate(String authorization) {
    if (authorization == null) {
      return Optional.empty();
    }
    if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return users
          .userForToken(authorization.substring(7).strip())
          .map(u -> new Principal(u.username(), u.role()));
    }
    if (!authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return Optional.empty();
    }
    String decoded;
    try {
      decoded =
          new String(
              Base64.getDecoder().decode(authorization.substring(6).strip()),
              StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      return Optional.empty();
    }
    String username = decoded.substring(0, colon);
    String password = decoded.substring(colon + 1);
    String key = PasswordHasher.digest(username + "\u0000" + password);
    Instant now = clock.instant();
    Remembered hit = verified.get(key);
    if (hit != null && hit.until.isAfter(now)) {
      return Optional.of(hit.principal);
    }
    Optional<Principal> principal = login(username, password);
    principal.ifPresent(p -> {
      if (verified.size() >= MAX_REMEMBERED) {
        verified.clear();
      }
      verified.put(key, new Remembered(p, now.plus(REMEMBER)));
    });
    return principal;
  }

  /**
   * Forgets the remembered password checks of a user, so a changed password, role or a deleted user
   * takes effect at the next request rather than minutes later.
   */
  public void forget(String username) {
    verified.values().removeIf(r -> r.principal().username().equals(username));
  }

  /**
   * Checks a user name and password (the login form and HTTP Basic): the caller, or empty when
   * either is wrong. Every call costs a full password check.
   */
  public Optional<Principal> login(String username, String password) {
    if (username == null || username.isEmpty() || password == null || password.isEmpty()) {
      return Optional.empty();
    }
    return users
        .user(username)
        .filter(u -> PasswordHasher.verify(password, u.passwordHash()))
        .map(u -> new Principal(u.username(), u.role()));
  }

  /** The user name in an HTTP Basic header, or empty when the header is not Basic. */
  public static Optional<String> basicUser(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return Optional.empty();
    }
    try {
      String decoded =
          new String(
              Base64.getDecoder().decode(authorization.substring(6).strip()),
              StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      return colon < 0 ? Optional.empty() : Optional.of(decoded.substring(0, colon));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
