package dev.ajr.server.auth;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks the {@code Authorization} header: HTTP Basic with a user's password, or {@code Bearer}
 * with an API token. A password check costs a deliberately slow hash (or a directory round trip),
 * so a successful one is remembered for a few minutes under a digest of the credentials (never the
 * password itself). Thread-safe.
 *
 * <p>Passwords are checked by the local users first, then by the external directories (LDAP) in
 * order. A name that belongs to a local user with a local password is never looked up elsewhere:
 * the local user wins. A user an external directory lets in is recorded in the users table with
 * {@link UserStore#NO_LOCAL_PASSWORD} and the role the directory gave, so their API tokens work and
 * their role follows the directory at their latest login.
 */
public final class Authenticator {

  private static final Duration REMEMBER = Duration.ofMinutes(5);
  private static final int MAX_REMEMBERED = 10_000;

  private final UserStore users;
  private final Clock clock;
  private final LocalDirectory local;
  private final List<Directory> external;
  private final Map<String, Remembered> verified = new ConcurrentHashMap<>();

  private record Remembered(Principal principal, Instant until) {}

  /** Local users only. */
  public Authenticator(UserStore users, Clock clock) {
    this(users, clock, List.of());
  }

  /**
   * @param external directories asked in order, after the local users, for names without a local
   *     password (LDAP); empty for local users only
   */
  public Authenticator(UserStore users, Clock clock, List<Directory> external) {
    this.users = users;
    this.clock = clock;
    this.local = new LocalDirectory(users);
    this.external = List.copyOf(external);
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
   *
   * @throws Directory.Unavailable when no directory let the user in and one could not be asked, so
   *     the caller can say "try again" rather than "wrong password"
   */
  public Optional<Principal> login(String username, String password) {
    if (username == null || username.isEmpty() || password == null || password.isEmpty()) {
      return Optional.empty();
    }
    Optional<Principal> localUser = local.login(username, password);
    if (localUser.isPresent() || external.isEmpty() || local.hasLocalPassword(username)) {
      return localUser;
    }
    Directory.Unavailable unavailable = null;
    for (Directory directory : external) {
      try {
        Optional<Principal> found = directory.login(username, password);
        if (found.isPresent()) {
          // The directory may spell the name differently ("Alice" for "alice"): a local user of
          // that spelling still wins, and is never overwritten.
          return users.putDirectoryUser(found.get().username(), found.get().role())
              ? found
              : Optional.empty();
        }
      } catch (Directory.Unavailable e) {
        if (unavailable == null) {
          unavailable = e;
        }
      }
    }
    if (unavailable != null) {
      throw unavailable;
    }
    return Optional.empty();
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
