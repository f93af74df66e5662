package dev.ajr.server.http.tls;

import dev.ajr.server.config.ConfigException;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's key manager: serves one PEM certificate and key, and picks up renewed files (certbot
 * renews every 90 days) without a restart.
 *
 * <p>Contract: when a handshake starts and at least {@link #CHECK_EVERY} has passed since the last
 * look, the files' modification times are compared with those of the pair in use; if either
 * changed, the pair is read again and new handshakes get it. A new pair that cannot be read, or
 * whose key does not match its certificate, is logged as a warning and the old pair stays in use
 * (until the files change again). Handshakes under way keep the pair they started with: each pair
 * has its own alias.
 */
public final class ReloadingKeyManager extends X509ExtendedKeyManager {

  /** The most often the files are looked at. */
  public static final Duration CHECK_EVERY = Duration.ofMinutes(1);

  private static final Logger log = LoggerFactory.getLogger(ReloadingKeyManager.class);

  /** One pair in use, with the files' modification times it was read at. */
  private record Loaded(
      String alias, PemTls.Material material, FileTime certTime, FileTime keyTime) {}

  private final TlsSettings settings;
  private final Clock clock;
  private volatile Loaded current;
  private volatile Loaded previous;
  private volatile Instant nextCheck;
  private int generation;

  /**
   * Reads the pair now.
   *
   * @throws ConfigException when the files cannot be served (see {@link PemTls#read})
   */
  public ReloadingKeyManager(TlsSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.current = load();
    this.nextCheck = clock.instant().plus(CHECK_EVERY);
    PemTls.warnings(current.material(), settings.certFile(), clock.instant()).forEach(log::warn);
  }

  /** The certificate served to new handshakes. */
  public X509Certificate certificate() {
    return current.material().leaf();
  }

  /**
   * Looks at the files now, whatever the time since the last look.
   *
   * @return true when a new pair was read and is served from now on
   */
  public synchronized boolean reloadIfChanged() {
    nextCheck = clock.instant().plus(CHECK_EVERY);
    Loaded old = current;
    FileTime certTime;
    FileTime keyTime;
    try {
      certTime = Files.getLastModifiedTime(settings.certFile());
      keyTime = Files.getLastModifiedTime(settings.keyFile());
    } catch (IOException e) {
      log.warn(
          "cannot look at the TLS files {} and {} ({}); still serving the certificate read"
              + " before",
          settings.certFile(),
          settings.keyFile(),
          e.toString());
      return false;
    }
    if (certTime.equals(old.certTime()) && keyTime.equals(old.keyTime())) {
      return false;
    }
    Loaded fresh;
    try {
      fresh = load();
    } catch (ConfigException e) {
      log.warn(
          "the changed TLS files cannot be served: {}; still serving the certificate read before",
          e.getMessage());
      // don't read the same broken files again each minute; try once they change again
      current = new Loaded(old.alias(), old.material(), certTime, keyTime);
      return false;
    }
    previous = old;
    current = fresh;
    log.info(
        "serving the renewed certificate {} (valid until {}) from {}",
        fresh.material().leaf().getSubjectX500Principal().getName(),
        fresh.material().leaf().getNotAfter().toInstant(),
        settings.certFile());
    PemTls.warnings(fresh.material(), settings.certFile(), clock.instant()).forEach(log::warn);
    return true;
  }

  private void checkIfDue() {
    if (!clock.instant().isBefore(nextCheck)) {
      reloadIfChanged();
    }
  }

  private synchronized Loaded load() {
    FileTime certTime;
    FileTime keyTime;
    try {
      certTime = Files.getLastModifiedTime(settings.certFile());
      keyTime = Files.getLastModifiedTime(settings.keyFile());
    } catch (IOException e) {
      certTime = FileTime.fromMillis(0);
      keyTime = FileTime.fromMillis(0);
    }
    PemTls.Material material = PemTls.read(settings);
    return new Loaded("ajr-" + generation++, material, certTime, keyTime);
  }

  private String aliasFor(String keyType) {
    checkIfDue();
    Loaded loaded = current;
    return keyType != null && keyType.equals(loaded.material().key().getAlgorithm())
        ? loaded.alias()
        : null;
  }

  private PemTls.Material material(String alias) {
    Loaded now = current;
    if (now.alias().equals(alias)) {
      return now.material();
    }
    Loaded before = previous;
    return before != null && before.alias().equals(alias) ? before.material() : null;
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return aliasFor(keyType);
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return aliasFor(keyType);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    String alias = aliasFor(keyType);
    return alias == null ? null : new String[] {alias};
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    PemTls.Material material = material(alias);
    return material == null ? null : material.chain().toArray(X509Certificate[]::new);
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    PemTls.Material material = material(alias);
    return material == null ? null : material.key();
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return null; // a server key manager: no client certificates
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return null;
  }

  @Override
  public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
    return null;
  }

  /** The chain served to new handshakes (for tests and logs). */
  List<X509Certificate> chain() {
    return current.material().chain();
  }
}
