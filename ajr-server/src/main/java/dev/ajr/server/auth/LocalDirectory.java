package dev.ajr.server.auth;

import java.util.Optional;

/**
 * The local users of the users table, with their PBKDF2 password hashes. A user whose hash is
 * {@link UserStore#NO_LOCAL_PASSWORD} came from an external directory and has no local password:
 * this directory never lets them in. Thread-safe.
 */
public final class LocalDirectory implements Directory {

  private final UserStore users;

  public LocalDirectory(UserStore users) {
    this.users = users;
  }

  @Override
  public Optional<Principal> login(String username, String password) {
    if (username == null || username.isEmpty() || password == null || password.isEmpty()) {
      return Optional.empty();
    }
    return users
        .user(username)
        .filter(LocalDirectory::hasLocalPassword)
        .filter(u -> PasswordHasher.verify(password, u.passwordHash()))
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
