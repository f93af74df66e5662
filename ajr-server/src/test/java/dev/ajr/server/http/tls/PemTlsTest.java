package dev.ajr.server.http.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ajr.server.config.ConfigException;
import dev.ajr.server.http.tls.TestCertificates.KeyFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PemTlsTest {

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(KeyFormat.class)
  void readsEveryKeyFormatAndTheWholeChain(KeyFormat format) throws Exception {
    TestCertificates certs = TestCertificates.create(dir, format);
    String header =
        switch (format) {
          case PKCS8_RSA, PKCS8_EC -> "-----BEGIN PRIVATE KEY-----";
          case PKCS1_RSA -> "-----BEGIN RSA PRIVATE KEY-----";
          case SEC1_EC -> "-----BEGIN EC PRIVATE KEY-----";
        };
    assertThat(Files.readString(certs.keyFile())).startsWith(header);

    PemTls.Material material = PemTls.read(certs.settings());

    assertThat(material.key().getAlgorithm()).isEqualTo(format.rsa() ? "RSA" : "EC");
    assertThat(material.chain()).containsExactly(certs.serverCertificate(), certs.caCertificate());
    assertThat(PemTls.warnings(material, certs.certFile(), Instant.now())).isEmpty();
  }

  @Test
  void skipsAnEcParametersBlockBeforeTheKey() throws Exception {
    TestCertificates certs = TestCertificates.create(dir, KeyFormat.SEC1_EC);
    // openssl ecparam -genkey writes the curve first
    Files.writeString(
        certs.keyFile(),
        "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n"
            + Files.readString(certs.keyFile()));

    assertThat(PemTls.read(certs.settings()).key().getAlgorithm()).isEqualTo("EC");
  }

  @Test
  void aKeyOfAnotherCertificateIsRefusedNamingBothFiles() {
    TestCertificates certs = TestCertificates.create(dir.resolve("a"), KeyFormat.PKCS8_RSA);
    TestCertificates other = TestCertificates.create(dir.resolve("b"), KeyFormat.PKCS8_RSA);

    assertThatThrownBy(() -> PemTls.read(TlsSettings.of(certs.certFile(), other.keyFile())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("server.tls-key")
        .hasMessageContaining(other.keyFile().toString())
        .hasMessageContaining(certs.certFile().toString())
        .hasMessageContaining("does not belong");
  }

  @Test
  void anEcKeyForAnRsaCertificateIsRefused() {
    TestCertificates certs = TestCertificates.create(dir.resolve("a"), KeyFormat.PKCS1_RSA);
    TestCertificates other = TestCertificates.create(dir.resolve("b"), KeyFormat.SEC1_EC);

    assertThatThrownBy(() -> PemTls.read(TlsSettings.of(certs.certFile(), other.keyFile())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("does not belong");
  }

  @Test
  void filesThatAreNotPemAreRefusedNamingOptionAndFile() {
    TestCertificates certs = TestCertificates.create(dir);
    Path garbage = certs.write("garbage.pem", "this is not a certificate\n");
    Path der =
        certs.write("broken.pem", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");

    assertThatThrownBy(() -> PemTls.read(TlsSettings.of(garbage, certs.keyFile())))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("server.tls-cert: " + garbage)
        .hasMessageContaining("is not a PEM file");
    assertThatThrownBy(() -> PemTls.read(TlsSettings.of(certs.certFile(), garbage)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("server.tls-key: " + garbage)
        .hasMessageContaining("is not a PEM file");
    assertThatThrownBy(() -> PemTls.read(TlsSettings.of(der, certs.keyFile())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("server.tls-cert")
        .hasMessageContaining(der.toString());
  }

  @Test
  void swappedFilesAndMissingFilesSayWhatIsWrong() {
    TestCertificates certs = TestCertificates.create(dir);
    Path missing = dir.resolve("nope.crt");

    assertThatThrownBy(() -> PemTls.read(TlsSettings.of(certs.certFile(), certs.certFile())))
        .hasMessageContaining("server.tls-key")
        .hasMessageContaining("holds a certificate, not a private key");
    assertThatThrownBy(() -> PemTls.read(TlsSettings.of(certs.keyFile(), certs.keyFile())))
        .hasMessageContaining("server.tls-cert")
        .hasMessageContaining("something other than certificates");
    assertThatThrownBy(() -> PemTls.read(TlsSettings.of(missing, certs.keyFile())))
        .isInstanceOf(ConfigException.class)
        .hasMessage("server.tls-cert: " + missing + " does not exist");
  }

  @Test
  void anEncryptedKeyIsRefusedWithTheWayOut() {
    TestCertificates certs = TestCertificates.create(dir);
    Path encrypted =
        certs.write(
            "enc.key",
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\n"
                + "MIGbMFcGCSqGSIb3DQEFDTBKMCkGCSqGSIb3DQEFDDAcBAhV0VIRrJ2eGgICCAAw\n"
                + "DAYIKoZIhvcNAgkFADAdBglghkgBZQMEASoEEMTE1WUV3Dqb6x7Z0ZR0b2UEQAAA\n"
                + "-----END ENCRYPTED PRIVATE KEY-----\n");

    assertThatThrownBy(() -> PemTls.read(TlsSettings.of(certs.certFile(), encrypted)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("server.tls-key");
  }

  @Test
  void anExpiredCertificateIsServedWithAWarning() {
    TestCertificates certs = TestCertificates.create(dir);
    Instant now = Instant.now();
    certs.issue(
        KeyFormat.PKCS8_EC, now.minus(Duration.ofDays(100)), now.minus(Duration.ofDays(10)));

    PemTls.Material material = PemTls.read(certs.settings());

    assertThat(PemTls.warnings(material, certs.certFile(), now))
        .singleElement()
        .asString()
        .contains("server.tls-cert")
        .contains(certs.certFile().toString())
        .contains("expired");
  }

  @Test
  void aCaFileTrustedByClientsMustHoldCertificates() {
    TestCertificates certs = TestCertificates.create(dir);

    assertThat(PemTls.trusting(certs.caFile(), "--ca-cert").getProtocol()).isEqualTo("TLS");
    assertThatThrownBy(() -> PemTls.trusting(certs.keyFile(), "--ca-cert"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("--ca-cert: " + certs.keyFile());
  }
}
