package dev.ajr.server.config;

import static dev.ajr.server.config.option.OptionType.httpUrl;
import static dev.ajr.server.config.option.OptionType.list;
import static dev.ajr.server.config.option.OptionType.path;
import static dev.ajr.server.config.option.OptionType.text;
import static dev.ajr.server.config.option.OptionType.wholeNumber;

import dev.ajr.server.config.option.Option;
import dev.ajr.server.config.option.OptionValues;
import dev.ajr.server.http.ClientNetwork;
import dev.ajr.server.http.tls.TlsSettings;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code server.*}, {@code data-dir} and {@code rules.dir}: where ajr listens and keeps files. */
public final class ServerOptions {

  public static final Option<String> HOST =
      Option.key("server.host", text())
          .defaultValue("127.0.0.1")
          .flag("--host", "ADDR")
          .essential()
          .withDescription("address the HTTP server listens on");

  public static final Option<Integer> PORT =
      Option.key("server.port", wholeNumber(0, 65535))
          .defaultValue(8080)
          .flag("--port", "N")
          .essential()
          .withDescription("port of the HTTP server (API)");

  public static final Option<Path> TLS_CERT =
      Option.key("server.tls-cert", path())
          .frequent()
          .withDescription(
              "a PEM certificate chain, server certificate first (certbot's fullchain.pem, the"
                  + " guide's ajr.crt): the API is served over HTTPS (TLS 1.3 and 1.2); reloaded"
                  + " when the file changes");

  public static final Option<Path> TLS_KEY =
      Option.key("server.tls-key", path())
          .secret()
          .frequent()
          .withDescription(
              "the PEM private key of that certificate (certbot's privkey.pem, the guide's"
                  + " ajr.key): PKCS#8, PKCS#1 or SEC1, RSA or EC, without a passphrase; give both"
                  + " or neither");

  public static final Option<Integer> HTTP_REDIRECT_PORT =
      Option.key("server.http-redirect-port", wholeNumber(0, 65535))
          .defaultValue(0)
          .frequent()
          .withDescription(
              "with TLS: a plain-HTTP port that redirects pages to HTTPS (308) and refuses API"
                  + " calls and log pushes (403 https_required); 0: none");

  public static final Option<URI> PUBLIC_URL =
      Option.key("server.public-url", httpUrl())
          .frequent()
          .withDescription(
              "the URL people open ajr at, such as https://ajr.example.org (behind a reverse"
                  + " proxy: the proxy's): a change a browser asks for must come from a page of"
                  + " this origin; unset: the origin the request names in its Host header");

  public static final Option<List<String>> TRUSTED_PROXIES =
      Option.key("server.trusted-proxies", list())
          .defaultValue(List.of())
          .shownAs("(none)")
          .frequent()
          .withDescription(
              "IP addresses of reverse proxies in front of ajr: only a request from one of them"
                  + " may name the client (X-Forwarded-For, for the login throttle and the audit"
                  + " trail) and this server's scheme and host (X-Forwarded-Proto,"
                  + " X-Forwarded-Host)");

  public static final Option<Path> DATA_DIR =
      Option.key("data-dir", path())
          .defaultValue(Path.of("./ajr-data"))
          .flag("--data-dir", "DIR")
          .essential()
          .withDescription("where the embedded database and files are kept");

  public static final Option<Path> RULES_DIR =
      Option.key("rules.dir", path())
          .flag("--rules", "DIR")
          .frequent()
          .withDescription("a directory of YAML rule files that add to or replace built-in rules");

  static final List<Option<?>> OPTIONS =
      List.of(
          HOST,
          PORT,
          TLS_CERT,
          TLS_KEY,
          HTTP_REDIRECT_PORT,
          PUBLIC_URL,
          TRUSTED_PROXIES,
          DATA_DIR,
          RULES_DIR);

  private ServerOptions() {}

  static ServerConfig from(OptionValues v) {
    return new ServerConfig(
        v.get(HOST), v.get(PORT), tls(v), v.find(PUBLIC_URL).orElse(null), trustedProxies(v));
  }

  private static List<InetAddress> trustedProxies(OptionValues v) {
    List<InetAddress> proxies = new ArrayList<>();
    for (String text : v.get(TRUSTED_PROXIES)) {
      proxies.add(
          ClientNetwork.address(text)
              .orElseThrow(() ->
                  v.invalid(
                      "server.trusted-proxies lists IP addresses such as 10.0.0.5 or ::1, not \""
                          + text
                          + "\"")));
    }
    return List.copyOf(proxies);
  }

  private static TlsSettings tls(OptionValues v) {
    Optional<Path> cert = v.find(TLS_CERT);
    Optional<Path> key = v.find(TLS_KEY);
    int redirect = v.get(HTTP_REDIRECT_PORT);
    if (cert.isPresent() != key.isPresent()) {
      throw v.invalid(
          "give both server.tls-cert and server.tls-key (the certificate chain and its key), or"
              + " neither for plain HTTP; only "
              + (cert.isEmpty() ? "server.tls-key" : "server.tls-cert")
              + " is set");
    }
    if (cert.isEmpty()) {
      if (redirect != 0) {
        throw v.invalid(
            "server.http-redirect-port redirects to HTTPS: it needs server.tls-cert and"
                + " server.tls-key");
      }
      return TlsSettings.OFF;
    }
    if (redirect != 0 && redirect == v.get(PORT)) {
      throw v.invalid("server.http-redirect-port must differ from server.port (" + redirect + ")");
    }
    return new TlsSettings(cert.get(), key.get(), redirect);
  }
}
