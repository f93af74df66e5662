package dev.ajr.server.http;

import com.sun.net.httpserver.HttpExchange;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How clients reach this server: its public URL (when configured) and the reverse proxies it
 * trusts. It answers two questions of every request: who the client is (for the login throttle and
 * the audit trail), and what this server's own origin is (for the same-origin check of
 * state-changing requests).
 *
 * <p>Contract: {@code X-Forwarded-For}, {@code X-Forwarded-Proto} and {@code X-Forwarded-Host} are
 * read only when the direct peer is one of the trusted proxies; otherwise a client could name any
 * address or origin it likes. Addresses are IP literals only: nothing here ever asks DNS. When a
 * public URL is configured it alone is this server's origin, whatever the request's {@code Host}
 * says. Immutable and thread-safe.
 */
public final class ClientNetwork {

  /** No public URL, no proxies: the peer is the client, the Host header names this server. */
  public static final ClientNetwork DIRECT = new ClientNetwork(null, List.of());

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(?:\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*");

  /** A scheme, host and port, compared as browsers compare origins. */
  record Origin(String scheme, String host, int port) {

    /** The origin of a URL, or empty when it has no http(s) scheme or no host. */
    static Optional<Origin> of(URI url) {
      if (url == null || url.getScheme() == null || url.getHost() == null) {
        return Optional.empty();
      }
      String scheme = url.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        return Optional.empty();
      }
      int port = url.getPort() >= 0 ? url.getPort() : defaultPort(scheme);
      return Optional.of(new Origin(scheme, url.getHost().toLowerCase(Locale.ROOT), port));
    }

    /** The origin an {@code Origin} header names, or empty when it names none ("null"). */
    static Optional<Origin> parse(String header) {
      if (header == null || header.isBlank()) {
        return Optional.empty();
      }
      try {
        return of(new URI(header.strip()));
      } catch (java.net.URISyntaxException e) {
        return Optional.empty();
      }
    }

    /** The origin of a request that came with this scheme and {@code Host} header. */
    static Optional<Origin> ofHost(String scheme, String host) {
      if (host == null || host.isBlank() || host.contains("/") || host.contains("@")) {
        return Optional.empty();
      }
      return parse(scheme + "://" + host.strip());
    }

    private static int defaultPort(String scheme) {
      return scheme.equals("https") ? 443 : 80;
    }

    @Override
    public String toString() {
      return scheme + "://" + host + (port == defaultPort(scheme) ? "" : ":" + port);
    }
  }

  private final Optional<Origin> publicOrigin;
  private final Set<InetAddress> trustedProxies;

  /**
   * @param publicUrl the URL people and browsers use to reach this server, or null: then a
   *     request's own {@code Host} (or, from a trusted proxy, {@code X-Forwarded-Host}) names it
   * @param trustedProxies the addresses of reverse proxies whose {@code X-Forwarded-*} headers are
   *     believed
   * @throws IllegalArgumentException when the public URL is not an http(s) URL with a host
   */
  public ClientNetwork(URI publicUrl, List<InetAddress> trustedProxies) {
    this.publicOrigin = publicUrl == null ? Optional.empty() : Origin.of(publicUrl);
    if (publicUrl != null && publicOrigin.isEmpty()) {
      throw new IllegalArgumentException(
          "the public URL must be an http:// or https:// URL with a host, not " + publicUrl);
    }
    this.trustedProxies = Set.copyOf(new LinkedHashSet<>(trustedProxies));
  }

  /**
   * The IP address an address literal names, without asking DNS, or empty when the text is not an
   * IPv4 or IPv6 literal. A port ({@code 10.0.0.1:5000}, {@code [::1]:5000}) is dropped.
   */
  public static Optional<InetAddress> address(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String t = text.strip();
    if (t.startsWith("[")) {
      int close = t.indexOf(']');
      if (close < 0) {
        return Optional.empty();
      }
      t = t.substring(1, close);
    } else if (t.indexOf(':') > 0 && t.indexOf(':') == t.lastIndexOf(':') && t.contains(".")) {
      t = t.substring(0, t.indexOf(':')); // IPv4 with a port
    }
    if (t.isEmpty() || t.length() > 64) {
      return Optional.empty();
    }
    try {
      if (IPV4.matcher(t).matches()) {
        return Optional.of(InetAddress.getByName(t)); // a literal: parsed, never looked up
      }
      if (IPV6.matcher(t).matches()) {
        // In brackets the JDK takes the text as an IPv6 literal or refuses it, never looking it up.
        return Optional.of(InetAddress.getByName("[" + t + "]"));
      }
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  /** Whether a public URL is configured. */
  public boolean hasPublicUrl() {
    return publicOrigin.isPresent();
  }

  /** The client's address as text: see {@link #clientAddress(InetAddress, List)}. */
  String clientAddress(HttpExchange ex) {
    return clientAddress(
        ex.getRemoteAddress().getAddress(),
        ex.getRequestHeaders().getOrDefault("X-Forwarded-For", List.of()));
  }

  /**
   * Who the client is: the direct peer; or, when the peer is a trusted proxy, the address nearest
   * to this server in {@code X-Forwarded-For} that is not itself a trusted proxy (the hops to its
   * left were written by whoever the untrusted client is, and are ignored).
   *
   * @param forwardedFor every {@code X-Forwarded-For} header of the request, in order
   */
  String clientAddress(InetAddress peer, List<String> forwardedFor) {
    if (!trustedProxies.contains(peer) || forwardedFor.isEmpty()) {
      return peer.getHostAddress();
    }
    String[] hops = String.join(",", forwardedFor).split(",");
    InetAddress nearest = peer;
    for (int i = hops.length - 1; i >= 0; i--) {
      Optional<InetAddress> hop = address(hops[i]);
      if (hop.isEmpty()) {
        break; // a hop that is no address: the last trusted one is all that is known
      }
      nearest = hop.get();
      if (!trustedProxies.contains(nearest)) {
        break;
      }
    }
    return nearest.getHostAddress();
  }

  /**
   * This server's origin as the request's browser sees it: the public URL's when one is configured;
   * else the scheme it was served with (or a trusted proxy's {@code X-Forwarded-Proto}) and its
   * {@code Host} (or a trusted proxy's {@code X-Forwarded-Host}). Empty when the request does not
   * say (no Host header).
   */
  Optional<Origin> serverOrigin(HttpExchange ex, boolean secure) {
    if (publicOrigin.isPresent()) {
      return publicOrigin;
    }
    var headers = ex.getRequestHeaders();
    String scheme = secure ? "https" : "http";
    String host = headers.getFirst("Host");
    if (trustedProxies.contains(ex.getRemoteAddress().getAddress())) {
      String proto = last(headers.getFirst("X-Forwarded-Proto"));
      if (proto != null && (proto.equalsIgnoreCase("http") || proto.equalsIgnoreCase("https"))) {
        scheme = proto.toLowerCase(Locale.ROOT);
      }
      String forwardedHost = last(headers.getFirst("X-Forwarded-Host"));
      if (forwardedHost != null) {
        host = forwardedHost;
      }
    }
    return Origin.ofHost(scheme, host);
  }

  /** The last of comma-separated values (the one the nearest proxy wrote), or null. */
  private static String last(String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String[] values = header.split(",");
    String v = values[values.length - 1].strip();
    return v.isEmpty() ? null : v;
  }
}
