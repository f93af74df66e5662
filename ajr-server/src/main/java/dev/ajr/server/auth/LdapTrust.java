package dev.ajr.server.auth;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Which certificates an ldaps:// server may present: those issued by the CA(s) in one PEM file, or
 * when none is configured, by the JDK's trust store. Host names are checked separately.
 */
final class LdapTrust {

  private LdapTrust() {}

  /** A trust manager for the CA file, or the JDK's default trust when {@code caCert} is null. */
  static X509TrustManager trustManager(Path caCert) {
    try {
      KeyStore store = null; // the JDK's trust store
      if (caCert != null) {
        store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        int i = 0;
        for (X509Certificate cert : certificates(caCert)) {
          store.setCertificateEntry("ca-" + i++, cert);
        }
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      for (TrustManager tm : factory.getTrustManagers()) {
        if (tm instanceof X509TrustManager x509) {
          return x509;
        }
      }
      throw new IllegalStateException("the JDK offers no X.509 trust manager");
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException(
          "auth.ldap.ca-cert " + caCert + " cannot be used: " + e.getMessage(), e);
    }
  }

  /** The certificates in a PEM (or DER) file; at least one, else IllegalArgumentException. */
  static List<X509Certificate> certificates(Path file) {
    List<X509Certificate> certs = new ArrayList<>();
    try (InputStream in = Files.newInputStream(file)) {
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        if (c instanceof X509Certificate x509) {
          certs.add(x509);
        }
      }
    } catch (IOException | CertificateException e) {
      throw new IllegalArgumentException(
          "auth.ldap.ca-cert " + file + " holds no PEM certificate: " + e.getMessage(), e);
    }
    if (certs.isEmpty()) {
      throw new IllegalArgumentException("auth.ldap.ca-cert " + file + " holds no PEM certificate");
    }
    return certs;
  }
}
