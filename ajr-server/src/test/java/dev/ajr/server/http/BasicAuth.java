package dev.ajr.server.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The HTTP Basic Authorization header, for the tests of the API. */
public final class BasicAuth {

  private BasicAuth() {}

  /** {@code Basic <base64 of user:password>}. */
  public static String header(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }
}
