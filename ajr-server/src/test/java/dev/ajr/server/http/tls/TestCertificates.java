package dev.ajr.server.http.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A test certificate authority and a server certificate for {@code localhost} and {@code
 * 127.0.0.1}, written as the installation guide names them: {@code ajr.crt} (server certificate,
 * then the CA, like certbot's fullchain.pem), {@code ajr.key} and {@code ca.crt}.
 *
 * <p>Made with BouncyCastle (no external program). {@link #sslContext()} trusts the CA only. {@link
 * #issue} writes a new server pair over the files (a renewal), with the modification times moved
 * forward so a reload sees the change whatever the file system's time resolution.
 */
public final class TestCertificates {

  /** How {@code ajr.key} is written. */
  public enum KeyFormat {
    /** {@code PRIVATE KEY} with an RSA key (certbot's privkey.pem with --key-type rsa). */
    PKCS8_RSA,
    /** {@code RSA PRIVATE KEY} (openssl genrsa -traditional). */
    PKCS1_RSA,
    /** {@code PRIVATE KEY} with an EC P-256 key (certbot's default). */
    PKCS8_EC,
    /** {@code EC PRIVATE KEY} (openssl ecparam -genkey). */
    SEC1_EC;

    boolean rsa() {
      return this == PKCS8_RSA || this == PKCS1_RSA;
    }
  }

  private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());

  private final Path dir;
  private final KeyPair caKeys;
  private final X509Certificate ca;
  private final Path caFile;
  private final Path certFile;
  private final Path keyFile;
  private volatile X509Certificate server;

  private TestCertificates(Path dir, KeyPair caKeys, X509Certificate ca) {
    this.dir = dir;
    this.caKeys = caKeys;
    this.ca = ca;
    this.caFile = dir.resolve("ca.crt");
    this.certFile = dir.resolve("ajr.crt");
    this.keyFile = dir.resolve("ajr.key");
  }

  /** A CA and a server pair valid from an hour ago for 30 days, the key in PKCS#8 (EC). */
  public static TestCertificates create(Path dir) {
    return create(dir, KeyFormat.PKCS8_EC);
  }

  /** A CA and a server pair valid from an hour ago for 30 days, the key written as given. */
  public static TestCertificates create(Path dir, KeyFormat format) {
    try {
      Files.createDirectories(dir);
      KeyPair caKeys = ecKeys();
      Instant now = Instant.now();
      X500Name name = new X500Name("CN=ajr test CA");
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              name,
              BigInteger.valueOf(SERIAL.incrementAndGet()),
              Date.from(now.minus(Duration.ofHours(1))),
              Date.from(now.plus(Duration.ofDays(365))),
              name,
              caKeys.getPublic());
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      builder.addExtension(
          Extension.subjectKeyIdentifier,
          false,
          utils.createSubjectKeyIdentifier(caKeys.getPublic()));
      X509Certificate ca = sign(builder, caKeys.getPrivate());
      TestCertificates certificates = new TestCertificates(dir, caKeys, ca);
      Files.writeString(certificates.caFile, pem("CERTIFICATE", ca.getEncoded()));
      certificates.issue(format, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(30)));
      return certificates;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot make test certificates: " + e, e);
    }
  }

  /**
   * Writes a new server certificate (signed by this CA, for localhost and 127.0.0.1) and a new key
   * over {@code ajr.crt} and {@code ajr.key}.
   *
   * @return the new server certificate
   */
  public X509Certificate issue(KeyFormat format, Instant notBefore, Instant notAfter) {
    try {
      KeyPair keys = format.rsa() ? rsaKeys() : ecKeys();
      X509Certificate certificate = serverCertificate(keys.getPublic(), notBefore, notAfter);
      FileTime before = Files.exists(certFile) ? Files.getLastModifiedTime(certFile) : null;
      Files.writeString(
          certFile,
          pem("CERTIFICATE", certificate.getEncoded()) + pem("CERTIFICATE", ca.getEncoded()));
      Files.writeString(keyFile, keyPem(keys.getPrivate(), format));
      if (before != null) {
        FileTime later = FileTime.from(before.toInstant().plusSeconds(2));
        Files.setLastModifiedTime(certFile, later);
        Files.setLastModifiedTime(keyFile, later);
      }
      server = certificate;
      return certificate;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot issue a test certificate: " + e, e);
    }
  }

  /** A new pair, valid from an hour ago for 30 days, over the files. */
  public X509Certificate renew(KeyFormat format) {
    Instant now = Instant.now();
    return issue(format, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(30)));
  }

  private X509Certificate serverCertificate(PublicKey key, Instant notBefore, Instant notAfter)
      throws GeneralSecurityException, IOException {
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            ca,
            BigInteger.valueOf(SERIAL.incrementAndGet()),
            Date.from(notBefore),
            Date.from(notAfter),
            new X500Name("CN=localhost"),
            key);
    JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    builder.addExtension(
        Extension.keyUsage,
        true,
        new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
    builder.addExtension(
        Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
    builder.addExtension(
        Extension.subjectAlternativeName,
        false,
        new GeneralNames(
            new GeneralName[] {
              new GeneralName(GeneralName.dNSName, "localhost"),
              new GeneralName(GeneralName.iPAddress, "127.0.0.1")
            }));
    builder.addExtension(
        Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(ca));
    builder.addExtension(
        Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(key));
    return sign(builder, caKeys.getPrivate());
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
      throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(
              builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
    } catch (org.bouncycastle.operator.OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  /** The key in the given PEM form. */
  static String keyPem(PrivateKey key, KeyFormat format) throws IOException {
    byte[] pkcs8 = key.getEncoded();
    return switch (format) {
      case PKCS8_RSA, PKCS8_EC -> pem("PRIVATE KEY", pkcs8);
      case PKCS1_RSA ->
          pem(
              "RSA PRIVATE KEY",
              PrivateKeyInfo.getInstance(pkcs8).parsePrivateKey().toASN1Primitive().getEncoded());
      case SEC1_EC -> {
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(pkcs8);
        ECPrivateKey ec = (ECPrivateKey) key;
        int bits = ec.getParams().getOrder().bitLength();
        yield pem(
            "EC PRIVATE KEY",
            new org.bouncycastle.asn1.sec.ECPrivateKey(
                    bits,
                    ec.getS(),
                    (DERBitString) null,
                    info.getPrivateKeyAlgorithm().getParameters())
                .getEncoded());
      }
    };
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private static KeyPair ecKeys() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private static KeyPair rsaKeys() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return generator.generateKeyPair();
  }

  /** {@code ajr.crt}: the server certificate, then the CA (like certbot's fullchain.pem). */
  public Path certFile() {
    return certFile;
  }

  /** {@code ajr.key}: the server's private key. */
  public Path keyFile() {
    return keyFile;
  }

  /** {@code ca.crt}: the CA certificate, for clients ({@code --ca-cert}, {@code curl --cacert}). */
  public Path caFile() {
    return caFile;
  }

  public Path dir() {
    return dir;
  }

  /** The server certificate now in {@code ajr.crt}. */
  public X509Certificate serverCertificate() {
    return server;
  }

  public X509Certificate caCertificate() {
    return ca;
  }

  /** The server's settings for these files, without a redirect port. */
  public TlsSettings settings() {
    return TlsSettings.of(certFile, keyFile);
  }

  /** A client context that trusts this CA and nothing else. */
  public SSLContext sslContext() {
    return PemTls.trusting(caFile, "test CA");
  }

  /** Writes text to a file of the directory (for broken-file tests). */
  public Path write(String name, String text) {
    try {
      return Files.writeString(dir.resolve(name), text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
