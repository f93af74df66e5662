package dev.ajr.server.config;

import dev.ajr.server.http.tls.TlsSettings;

/**
 * Where the API listens.
 *
 * @param host the address listened on
 * @param port the port (0: any free port)
 * @param tls HTTPS, or {@link TlsSettings#OFF} for plain HTTP
 */
public record ServerConfig(String host, int port, TlsSettings tls) {}
