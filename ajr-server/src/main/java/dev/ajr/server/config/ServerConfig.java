package dev.ajr.server.config;

import dev.ajr.server.http.ClientNetwork;
import dev.ajr.server.http.tls.TlsSettings;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;

/**
 * Where the API listens, and how clients reach it.
 *
 * @param host the address listened on
 * @param port the port (0: any free port)
 * @param tls HTTPS, or {@link TlsSettings#OFF} for plain HTTP
 * @param publicUrl the URL people open ajr at, or null when not configured
 * @param trustedProxies the reverse proxies whose {@code X-Forwarded-*} headers are believed
 */
public record ServerConfig(
    String host, int port, TlsSettings tls, URI publicUrl, List<InetAddress> trustedProxies) {

  public ServerConfig {
    trustedProxies = List.copyOf(trustedProxies);
  }

  /** The public URL and trusted proxies, as the API reads them. */
  public ClientNetwork network() {
    return new ClientNetwork(publicUrl, trustedProxies);
  }
}
