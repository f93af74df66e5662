package dev.ajr.server.http.tls;

import java.nio.file.Path;

/**
 * Whether and how the API is served over HTTPS.
 *
 * @param certFile the PEM certificate chain, server certificate first ({@code server.tls-cert},
 *     certbot's {@code fullchain.pem}), or null when TLS is off
 * @param keyFile the PEM private key of that certificate ({@code server.tls-key}, certbot's {@code
 *     privkey.pem}), or null when TLS is off
 * @param redirectPort a plain-HTTP port that redirects page requests to HTTPS and refuses
 *     everything else ({@code server.http-redirect-port}); 0 for none
 */
public record TlsSettings(Path certFile, Path keyFile, int redirectPort) {

  public static final String CERT_OPTION = "server.tls-cert";
  public static final String KEY_OPTION = "server.tls-key";
  public static final String REDIRECT_OPTION = "server.http-redirect-port";

  /** Plain HTTP, as without TLS options. */
  public static final TlsSettings OFF = new TlsSettings(null, null, 0);

  public TlsSettings {
    if ((certFile == null) != (keyFile == null)) {
      throw new IllegalArgumentException("give both the certificate and the key, or neither");
    }
    if (redirectPort < 0 || redirectPort > 65535) {
      throw new IllegalArgumentException("the redirect port must be from 0 to 65535");
    }
  }

  /** HTTPS with the given PEM files and no redirect listener. */
  public static TlsSettings of(Path certFile, Path keyFile) {
    return new TlsSettings(certFile, keyFile, 0);
  }

  public boolean enabled() {
    return certFile != null;
  }

  public TlsSettings withRedirectPort(int port) {
    return new TlsSettings(certFile, keyFile, port);
  }
}
