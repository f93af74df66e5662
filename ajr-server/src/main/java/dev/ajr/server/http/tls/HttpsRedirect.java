package dev.ajr.server.http.tls;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What the plain-HTTP listener ({@code server.http-redirect-port}) answers: a page request (GET or
 * HEAD outside {@code /api/} and {@code /loki/}) is sent to the same path on HTTPS with 308;
 * everything else is refused with 403 {@code https_required}, so credentials and tokens are never
 * taken over plain HTTP (a client that followed a redirect would already have sent them).
 */
public final class HttpsRedirect {

  /** The answer to one plain-HTTP request. */
  public sealed interface Answer {}

  /** 308 to {@code location}. */
  public record Redirect(String location) implements Answer {}

  /** 403 with the error code {@code https_required}. */
  public record Refuse(String message) implements Answer {}

  /**
   * A host name, an IPv4 address or a bracketed IPv6 address: nothing that could split a header.
   */
  private static final Pattern HOST =
      Pattern.compile("[A-Za-z0-9.-]{1,253}|\\[[0-9A-Fa-f:.%]{2,60}]");

  private HttpsRedirect() {}

  /**
   * @param method the request's method
   * @param rawPathAndQuery the request target as sent (path and query, still percent-encoded)
   * @param hostHeader the request's {@code Host} header, or null
   * @param fallbackHost the host to name when the request gives no usable Host header
   * @param httpsPort the port HTTPS is served on
   */
  public static Answer answer(
      String method,
      String rawPathAndQuery,
      String hostHeader,
      String fallbackHost,
      int httpsPort) {
    String verb = method.toUpperCase(Locale.ROOT);
    String path = rawPathAndQuery.isEmpty() ? "/" : rawPathAndQuery;
    boolean page =
        (verb.equals("GET") || verb.equals("HEAD"))
            && path.startsWith("/")
            && !path.startsWith("//")
            && !path.equals("/api")
            && !path.startsWith("/api/")
            && !path.equals("/loki")
            && !path.startsWith("/loki/");
    if (!page) {
      return new Refuse(
          "this port is plain HTTP and takes no API calls or logins; use https://"
              + host(hostHeader, fallbackHost)
              + ":"
              + httpsPort
              + " (the server's TLS port)");
    }
    return new Redirect("https://" + host(hostHeader, fallbackHost) + ":" + httpsPort + path);
  }

  /** The host part of a Host header ({@code name}, {@code name:port}, {@code [v6]:port}). */
  static String host(String hostHeader, String fallbackHost) {
    if (hostHeader != null) {
      String value = hostHeader.strip();
      String host;
      if (value.startsWith("[")) {
        int end = value.indexOf(']');
        host = end < 0 ? "" : value.substring(0, end + 1);
      } else {
        int colon = value.indexOf(':');
        host = colon < 0 ? value : value.substring(0, colon);
      }
      if (HOST.matcher(host).matches()) {
        return host;
      }
    }
    return fallbackHost;
  }
}
