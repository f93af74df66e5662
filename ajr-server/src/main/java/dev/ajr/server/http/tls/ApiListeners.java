package dev.ajr.server.http.tls;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sockets the API is served on: plain HTTP, or HTTPS (TLS 1.3 and 1.2 only) from PEM files that
 * are reloaded when they change, plus, with HTTPS, an optional plain-HTTP listener that redirects
 * pages and refuses API calls ({@link HttpsRedirect}).
 *
 * <p>Contract: {@link #open} binds every socket or none, and fails with a message naming the option
 * and the file (bad PEM files) or the address (port in use). Without TLS it logs one warning saying
 * how to turn TLS on.
 */
public final class ApiListeners {

  /** The only protocol versions the HTTPS listener speaks. */
  public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

  private static final Logger log = LoggerFactory.getLogger(ApiListeners.class);

  private final HttpServer api;
  private final HttpServer redirect;
  private final ReloadingKeyManager keys;

  private ApiListeners(HttpServer api, HttpServer redirect, ReloadingKeyManager keys) {
    this.api = api;
    this.redirect = redirect;
    this.keys = keys;
  }

  /**
   * Binds the API's socket (and the redirect socket, if any); handlers are added to {@link #api()}.
   *
   * @throws BindException when the API's port is taken
   * @throws IOException when the redirect port cannot be bound (the message names the option)
   * @throws dev.ajr.server.config.ConfigException when the PEM files cannot be served
   */
  public static ApiListeners open(String host, int port, TlsSettings tls, Clock clock)
      throws IOException {
    InetSocketAddress address = new InetSocketAddress(host, port);
    if (!tls.enabled()) {
      log.warn(
          "TLS is off: passwords and tokens cross the network in the clear. Set {} and {} (a PEM"
              + " certificate chain and key, e.g. certbot's fullchain.pem and privkey.pem) to serve"
              + " HTTPS; see docs/operations.md, TLS",
          TlsSettings.CERT_OPTION,
          TlsSettings.KEY_OPTION);
      return new ApiListeners(HttpServer.create(address, 64), null, null);
    }
    ReloadingKeyManager keys = new ReloadingKeyManager(tls, clock);
    HttpsServer https = HttpsServer.create(address, 64);
    https.setHttpsConfigurator(configurator(keys));
    HttpServer redirect = null;
    if (tls.redirectPort() > 0) {
      try {
        redirect = HttpServer.create(new InetSocketAddress(host, tls.redirectPort()), 64);
      } catch (IOException e) {
        https.stop(0);
        throw new IOException(
            "cannot listen on "
                + host
                + ":"
                + tls.redirectPort()
                + " for "
                + TlsSettings.REDIRECT_OPTION
                + " ("
                + e.getMessage()
                + "); choose another port or 0 for none",
            e);
      }
      int httpsPort = https.getAddress().getPort();
      String fallbackHost = host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host;
      redirect.createContext("/", exchange -> redirect(exchange, fallbackHost, httpsPort));
    }
    log.info(
        "serving HTTPS ({}) with the certificate {} from {}{}",
        String.join(", ", PROTOCOLS),
        keys.certificate().getSubjectX500Principal().getName(),
        tls.certFile(),
        redirect == null
            ? ""
            : "; plain HTTP on port " + tls.redirectPort() + " redirects pages to HTTPS");
    return new ApiListeners(https, redirect, keys);
  }

  /** Only TLS 1.3 and 1.2, with the context's default cipher suites. */
  static HttpsConfigurator configurator(ReloadingKeyManager keys) {
    SSLContext context;
    try {
      context = SSLContext.getInstance("TLS");
      context.init(new KeyManager[] {keys}, null, new SecureRandom());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK cannot serve TLS: " + e.getMessage(), e);
    }
    return new HttpsConfigurator(context) {
      @Override
      public void configure(HttpsParameters params) {
        SSLParameters parameters = getSSLContext().getDefaultSSLParameters();
        parameters.setProtocols(PROTOCOLS.toArray(String[]::new));
        parameters.setNeedClientAuth(false);
        params.setSSLParameters(parameters);
      }
    };
  }

  private static void redirect(HttpExchange exchange, String fallbackHost, int httpsPort)
      throws IOException {
    try (exchange) {
      HttpsRedirect.Answer answer =
          HttpsRedirect.answer(
              exchange.getRequestMethod(),
              exchange.getRequestURI().getRawPath()
                  + (exchange.getRequestURI().getRawQuery() == null
                      ? ""
                      : "?" + exchange.getRequestURI().getRawQuery()),
              exchange.getRequestHeaders().getFirst("Host"),
              fallbackHost,
              httpsPort);
      switch (answer) {
        case HttpsRedirect.Redirect r -> {
          exchange.getResponseHeaders().add("Location", r.location());
          exchange.sendResponseHeaders(308, -1);
        }
        case HttpsRedirect.Refuse r -> {
          byte[] body =
              ("{\"error\":{\"code\":\"https_required\",\"message\":" + quote(r.message()) + "}}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.getResponseHeaders().add("Cache-Control", "no-store");
          exchange.sendResponseHeaders(403, body.length);
          exchange.getResponseBody().write(body);
        }
      }
    }
  }

  /** A JSON string; the messages hold only a host name and ASCII text. */
  private static String quote(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** The API's server: an {@link HttpsServer} when TLS is on. */
  public HttpServer api() {
    return api;
  }

  /** Whether the API is served over HTTPS (cookies can be Secure). */
  public boolean secure() {
    return keys != null;
  }

  /** The plain-HTTP redirect port actually bound, or 0 when there is none. */
  public int redirectPort() {
    return redirect == null ? 0 : redirect.getAddress().getPort();
  }

  /** The key manager of the HTTPS listener, or null without TLS (tests call its reload check). */
  public ReloadingKeyManager keys() {
    return keys;
  }

  public void start() {
    api.start();
    if (redirect != null) {
      redirect.start();
    }
  }

  /** Stops accepting; waits up to {@code delaySeconds} for requests being answered. */
  public void stop(int delaySeconds) {
    if (redirect != null) {
      redirect.stop(0);
    }
    api.stop(delaySeconds);
  }
}
