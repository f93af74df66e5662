package dev.ajr.server.auth;

import java.util.Optional;

/**
 * A source of identities that checks passwords: the local user table, or an LDAP directory.
 *
 * <p>Contract: {@link #login} is empty for an unknown user or a wrong password (the two are not
 * told apart); it throws {@link Unavailable} when the directory cannot be asked at all, so a caller
 * can say "try again" instead of "wrong password". Implementations are thread-safe and never log a
 * password.
 */
public interface Directory {

  /** The user, with their role, when the password is right. */
  Optional<Principal> login(String username, String password);

  /** The directory could not be asked (down, misconfigured, TLS failure). */
  final class Unavailable extends RuntimeException {
    public Unavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
