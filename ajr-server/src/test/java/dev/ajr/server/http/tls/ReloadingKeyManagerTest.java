package dev.ajr.server.http.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.core.testing.MutableClock;
import dev.ajr.server.http.tls.TestCertificates.KeyFormat;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReloadingKeyManagerTest {

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.now());

  @Test
  void servesTheRenewedPairOnceAMinuteHasPassed() {
    TestCertificates certs = TestCertificates.create(dir, KeyFormat.PKCS8_EC);
    ReloadingKeyManager keys = new ReloadingKeyManager(certs.settings(), clock);
    X509Certificate first = certs.serverCertificate();
    String firstAlias = keys.chooseServerAlias("EC", null, null);

    X509Certificate renewed = certs.renew(KeyFormat.PKCS8_EC);
    clock.advance(Duration.ofSeconds(30));
    String stillFirst = keys.chooseServerAlias("EC", null, null);
    clock.advance(Duration.ofSeconds(31));
    String second = keys.chooseServerAlias("EC", null, null);

    assertThat(stillFirst).as("looked at most once a minute").isEqualTo(firstAlias);
    assertThat(keys.getCertificateChain(firstAlias)[0]).isEqualTo(first);
    assertThat(second).isNotEqualTo(firstAlias);
    assertThat(keys.getCertificateChain(second)[0]).isEqualTo(renewed);
    assertThat(keys.getPrivateKey(second).getAlgorithm()).isEqualTo("EC");
    assertThat(keys.getCertificateChain(firstAlias))
        .as("a handshake that chose the old alias still finds its pair")
        .isNotNull();
  }

  @Test
  void aRenewalMayChangeTheKeyType() {
    TestCertificates certs = TestCertificates.create(dir, KeyFormat.PKCS8_EC);
    ReloadingKeyManager keys = new ReloadingKeyManager(certs.settings(), clock);
    X509Certificate renewed = certs.renew(KeyFormat.PKCS1_RSA);

    assertThat(keys.reloadIfChanged()).isTrue();

    assertThat(keys.chooseServerAlias("EC", null, null)).isNull();
    String alias = keys.chooseServerAlias("RSA", null, null);
    assertThat(keys.getCertificateChain(alias)[0]).isEqualTo(renewed);
  }

  @Test
  void unchangedFilesAreNotReadAgain() {
    TestCertificates certs = TestCertificates.create(dir);
    ReloadingKeyManager keys = new ReloadingKeyManager(certs.settings(), clock);

    assertThat(keys.reloadIfChanged()).isFalse();
    assertThat(keys.certificate()).isEqualTo(certs.serverCertificate());
  }

  @Test
  void aBrokenRenewalKeepsTheOldPairUntilTheFilesChangeAgain() throws Exception {
    TestCertificates certs = TestCertificates.create(dir);
    ReloadingKeyManager keys = new ReloadingKeyManager(certs.settings(), clock);
    X509Certificate first = certs.serverCertificate();

    // half-written renewal: a new certificate whose key is not there yet
    String oldKey = Files.readString(certs.keyFile());
    certs.renew(KeyFormat.PKCS8_EC);
    Files.writeString(certs.keyFile(), oldKey);
    touch(certs.keyFile(), 10);
    assertThat(keys.reloadIfChanged()).isFalse();
    assertThat(keys.certificate()).isEqualTo(first);

    Files.writeString(certs.certFile(), "not PEM at all", StandardCharsets.US_ASCII);
    touch(certs.certFile(), 20);
    assertThat(keys.reloadIfChanged()).isFalse();
    assertThat(keys.certificate()).isEqualTo(first);

    X509Certificate fixed = certs.renew(KeyFormat.PKCS8_EC);
    touch(certs.certFile(), 30);
    touch(certs.keyFile(), 30);
    assertThat(keys.reloadIfChanged()).isTrue();
    assertThat(keys.certificate()).isEqualTo(fixed);
  }

  @Test
  void newConnectionsGetTheRenewedCertificate() throws Exception {
    TestCertificates certs = TestCertificates.create(dir);
    ApiListeners listeners = ApiListeners.open("127.0.0.1", 0, certs.settings(), clock);
    listeners
        .api()
        .createContext(
            "/",
            exchange -> {
              exchange.sendResponseHeaders(204, -1);
              exchange.close();
            });
    listeners.start();
    try {
      X509Certificate first = servedCertificate(listeners, certs);
      assertThat(first).isEqualTo(certs.serverCertificate());
      X509Certificate renewed = certs.renew(KeyFormat.PKCS8_RSA);
      listeners.keys().reloadIfChanged();

      assertThat(servedCertificate(listeners, certs)).isEqualTo(renewed).isNotEqualTo(first);
    } finally {
      listeners.stop(0);
    }
  }

  /** A new client each time, so no TLS session is resumed. */
  private static X509Certificate servedCertificate(ApiListeners listeners, TestCertificates certs)
      throws Exception {
    HttpClient client = HttpClient.newBuilder().sslContext(certs.sslContext()).build();
    HttpResponse<Void> response =
        client.send(
            HttpRequest.newBuilder(
                    URI.create("https://localhost:" + listeners.api().getAddress().getPort() + "/"))
                .build(),
            HttpResponse.BodyHandlers.discarding());
    assertThat(response.statusCode()).isEqualTo(204);
    return (X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0];
  }

  private static void touch(Path file, int secondsLater) throws Exception {
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(secondsLater)));
  }
}
