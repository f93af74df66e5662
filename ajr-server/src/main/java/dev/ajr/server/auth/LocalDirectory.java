package dev.ajr.server.auth;

import java.util.Optional;

/**
 * The local users of the users table, with their PBKDF2 password hashes. A user whose hash is
 * {@link UserStore#NO_LOCAL_PASSWORD} came from an external directory and has no local password:
 * this directory never lets them in.
 *
 * <p>Contract: every login costs one full password check, whether the name is a local user's or not
 * (a name without a local password is checked against a hash of a random password), so how long a
 * wrong login takes does not tell which names exist. Thread-safe.
 */
public final class LocalDirectory implements Directory {

  /** Checks a password against a stored hash. */
  @FunctionalInterface
  interface PasswordCheck {
    boolean verify(String password, String storedHash);
  }

  /** The hash checked for names that have no local password: of a password nobody knows. */
  private static final class Dummy {
    static final String HASH = PasswordHasher.hash(PasswordHasher.randomSecret());
  }

  private final UserStore users;
  private final PasswordCheck check;

  public LocalDirectory(UserStore users) {
    this(users, PasswordHasher::verify);
  }

  LocalDirectory(UserStore users, PasswordCheck check) {
    this.users = users;
    this.check = check;
  }

  /** The hash a login of a name without a local password is checked against. */
  static String dummyHash() {
    return Dummy.HASH;
  }

  @Override
  public Optional<Principal> login(String username, String password) {
    if (username == null || username.isEmpty() || password == null || password.isEmpty()) {
      return Optional.empty();
    }
    Optional<UserStore.User> user = users.user(username).filter(LocalDirectory::hasLocalPassword);
    if (user.isEmpty()) {
      check.verify(password, Dummy.HASH); // the same cost as a wrong password of a real user
      return Optional.empty();
    }
    return user.filter(u -> check.verify(password, u.passwordHash()))
        .map(u -> new Principal(u.username(), u.role()));
  }

  /** Whether the name belongs to a local user with a local password (who then wins over LDAP). */
  public boolean hasLocalPassword(String username) {
    return users.user(username).filter(LocalDirectory::hasLocalPassword).isPresent();
  }

  static boolean hasLocalPassword(UserStore.User user) {
    return !UserStore.NO_LOCAL_PASSWORD.equals(user.passwordHash());
  }
}
