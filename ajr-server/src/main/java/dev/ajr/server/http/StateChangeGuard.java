package dev.ajr.server.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps other sites from changing anything, whatever credential the browser attaches (a session
 * cookie, or HTTP Basic credentials it remembered): every state-changing request (POST, PUT, PATCH,
 * DELETE) must
 *
 * <ul>
 *   <li>carry a body only of its route's media type, JSON unless the route declares others: 415
 *       otherwise (an HTML form on another site can only send form-urlencoded, multipart or
 *       text/plain bodies, and a script on another site cannot send JSON here without a CORS
 *       preflight, which this server never grants);
 *   <li>come from this server's own origin when the browser says where it comes from: an {@code
 *       Origin} header must name this server's scheme, host and port ({@link
 *       ClientNetwork#serverOrigin}), and {@code Sec-Fetch-Site} must be {@code same-origin} or
 *       {@code none}: 403 otherwise.
 * </ul>
 *
 * <p>Scripts and command-line tools send neither header, so they are not affected. Stateless.
 */
final class StateChangeGuard {

  /** The body types an HTML form sends without the page's script: never accepted. */
  static final Set<String> FORM_TYPES =
      Set.of("application/x-www-form-urlencoded", "multipart/form-data", "text/plain");

  private static final Set<String> STATE_CHANGING = Set.of("POST", "PUT", "PATCH", "DELETE");
  private static final Set<String> OWN_SITE = Set.of("same-origin", "none");

  private final ClientNetwork network;
  private final boolean secure;

  /**
   * @param secure whether this server itself serves HTTPS
   */
  StateChangeGuard(ClientNetwork network, boolean secure) {
    this.network = network;
    this.secure = secure;
  }

  /**
   * @throws ApiException 415 for a body of another media type, 403 for a request from another site
   */
  void check(HttpExchange ex, String method, Route route) {
    if (!STATE_CHANGING.contains(method)) {
      return;
    }
    Headers h = ex.getRequestHeaders();
    if (hasBody(h)) {
      String type = mediaType(h.getFirst("Content-Type"));
      if (!route.bodyTypes().contains(type)) {
        throw new ApiException(
            415,
            "unsupported_media_type",
            "send the body with Content-Type: " + String.join(" or ", route.bodyTypes()));
      }
    }
    String site = h.getFirst("Sec-Fetch-Site");
    if (site != null && !OWN_SITE.contains(site.strip().toLowerCase(Locale.ROOT))) {
      throw new ApiException(
          403,
          "cross_site",
          "a change requested by a page of another site (Sec-Fetch-Site: "
              + shorten(site)
              + ") is refused; use this server's own pages, or a script without a browser");
    }
    String origin = h.getFirst("Origin");
    if (origin != null) {
      Optional<ClientNetwork.Origin> own = network.serverOrigin(ex, secure);
      Optional<ClientNetwork.Origin> theirs = ClientNetwork.Origin.parse(origin);
      if (own.isEmpty() || theirs.isEmpty() || !own.get().equals(theirs.get())) {
        throw new ApiException(
            403,
            "cross_origin",
            "a change requested from "
                + shorten(origin)
                + " is refused: only this server's own origin"
                + own.map(o -> " (" + o + ")").orElse("")
                + " may ask"
                + (network.hasPublicUrl()
                    ? ""
                    : "; behind a reverse proxy, set server.public-url or server.trusted-proxies"));
      }
    }
  }

  /** Whether the request has a body: a positive Content-Length, or a chunked one. */
  static boolean hasBody(Headers h) {
    if (h.getFirst("Transfer-Encoding") != null) {
      return true;
    }
    String length = h.getFirst("Content-Length");
    if (length == null) {
      return false;
    }
    try {
      return Long.parseLong(length.strip()) > 0;
    } catch (NumberFormatException e) {
      return true;
    }
  }

  /** The media type of a Content-Type header, lower case, without parameters; "" when none. */
  static String mediaType(String contentType) {
    if (contentType == null) {
      return "";
    }
    int semicolon = contentType.indexOf(';');
    String type = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
    return type.strip().toLowerCase(Locale.ROOT);
  }

  private static String shorten(String header) {
    String s = header.strip();
    return s.length() > 100 ? s.substring(0, 100) + "..." : s;
  }
}
