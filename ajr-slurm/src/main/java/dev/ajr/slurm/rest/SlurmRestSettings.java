package dev.ajr.slurm.rest;

import java.net.URI;
import java.util.Objects;

/**
 * Where slurmrestd listens and whom ajr is to it.
 *
 * @param url slurmrestd's base address, like {@code http://127.0.0.1:6820}
 * @param user the Slurm user the token belongs to ({@code X-SLURM-USER-NAME}); it only reads, but
 *     must see every user's jobs (an operator when {@code PrivateData} hides them)
 * @param token the token ({@code X-SLURM-USER-TOKEN})
 */
public record SlurmRestSettings(URI url, String user, SlurmToken token) {

  public SlurmRestSettings {
    Objects.requireNonNull(url);
    Objects.requireNonNull(token);
    if (user == null || user.isBlank()) {
      throw new IllegalArgumentException("the Slurm user of the token is missing");
    }
  }

  /** The base address without a trailing slash. */
  String base() {
    String base = url.toString();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return base;
  }

  /** The address for messages: scheme, host and port, never a user or password in the URL. */
  public String where() {
    return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort());
  }

  @Override
  public String toString() {
    return "slurmrestd at " + where() + " as " + user + " with " + token.source();
  }
}
