package dev.ajr.server.http.tls;

import dev.ajr.server.config.ConfigException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads a PEM certificate chain and private key as certbot writes them ({@code fullchain.pem},
 * {@code privkey.pem}): keys in PKCS#8 ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}) or
 * SEC1 ({@code EC PRIVATE KEY}), RSA or EC. BouncyCastle only parses; the keys and certificates are
 * the JDK's own, and no security provider is registered.
 *
 * <p>Contract: every failure is a {@link ConfigException} whose message names the option and the
 * file and says what is wrong (missing, unreadable, not PEM, encrypted, key does not match the
 * certificate). Never puts key material in a message.
 */
public final class PemTls {

  /** A private key and its certificate chain, the server's certificate first. */
  public record Material(PrivateKey key, List<X509Certificate> chain) {
    public Material {
      chain = List.copyOf(chain);
    }

    public X509Certificate leaf() {
      return chain.getFirst();
    }
  }

  private PemTls() {}

  /**
   * Reads and checks the pair named by {@code settings}.
   *
   * @throws ConfigException naming {@code server.tls-cert} or {@code server.tls-key} and the file
   */
  public static Material read(TlsSettings settings) {
    List<X509Certificate> chain = readChain(settings.certFile(), TlsSettings.CERT_OPTION);
    PrivateKey key = readKey(settings.keyFile(), TlsSettings.KEY_OPTION);
    if (!matches(key, chain.getFirst())) {
      throw new ConfigException(
          TlsSettings.KEY_OPTION
              + ": the key in "
              + settings.keyFile()
              + " does not belong to the first certificate in "
              + settings.certFile()
              + " ("
              + TlsSettings.CERT_OPTION
              + ", "
              + subject(chain.getFirst())
              + "); give the key the certificate was issued for");
    }
    return new Material(key, chain);
  }

  /**
   * What is worth a warning about a pair that can be served: an expired certificate, or one not
   * valid yet. Empty when there is nothing to say.
   */
  public static List<String> warnings(Material material, Path certFile, Instant now) {
    List<String> warnings = new ArrayList<>();
    X509Certificate leaf = material.leaf();
    if (now.isAfter(leaf.getNotAfter().toInstant())) {
      warnings.add(
          "the certificate in "
              + certFile
              + " ("
              + TlsSettings.CERT_OPTION
              + ", "
              + subject(leaf)
              + ") expired on "
              + leaf.getNotAfter().toInstant()
              + "; browsers and agents will refuse it until it is renewed");
    } else if (now.isBefore(leaf.getNotBefore().toInstant())) {
      warnings.add(
          "the certificate in "
              + certFile
              + " ("
              + TlsSettings.CERT_OPTION
              + ") is not valid before "
              + leaf.getNotBefore().toInstant()
              + "; check this host's clock");
    }
    return warnings;
  }

  /** The certificates of a PEM file, in order; at least one. */
  public static List<X509Certificate> readChain(Path file, String option) {
    List<X509Certificate> chain = new ArrayList<>();
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    try (PEMParser pem = parser(file, option)) {
      Object item;
      while ((item = readPem(pem, file, option)) != null) {
        if (item instanceof X509CertificateHolder holder) {
          chain.add(converter.getCertificate(holder));
        } else {
          throw new ConfigException(
              option
                  + ": "
                  + file
                  + " holds something other than certificates ("
                  + describe(item)
                  + "); give the PEM certificate chain (certbot's fullchain.pem)");
        }
      }
    } catch (IOException e) {
      throw unreadable(file, option, e);
    } catch (CertificateException e) {
      throw new ConfigException(
          option + ": " + file + " holds a certificate that cannot be read: " + e.getMessage());
    }
    if (chain.isEmpty()) {
      throw notPem(file, option, "CERTIFICATE");
    }
    return chain;
  }

  /** The one private key of a PEM file (an {@code EC PARAMETERS} block before it is skipped). */
  public static PrivateKey readKey(Path file, String option) {
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    PrivateKey key = null;
    try (PEMParser pem = parser(file, option)) {
      Object item;
      while ((item = readPem(pem, file, option)) != null) {
        PrivateKey found;
        if (item instanceof PEMKeyPair pair) { // PKCS#1 RSA, SEC1 EC
          found = converter.getPrivateKey(pair.getPrivateKeyInfo());
        } else if (item instanceof PrivateKeyInfo info) { // PKCS#8
          found = converter.getPrivateKey(info);
        } else if (item instanceof PEMEncryptedKeyPair
            || item instanceof PKCS8EncryptedPrivateKeyInfo) {
          throw new ConfigException(
              option
                  + ": the key in "
                  + file
                  + " is encrypted; give it without a passphrase (openssl pkey -in KEY -out"
                  + " ajr.key) and make the file readable by the ajr user only");
        } else if (item instanceof X509CertificateHolder) {
          throw new ConfigException(
              option
                  + ": "
                  + file
                  + " holds a certificate, not a private key; give the key (certbot's"
                  + " privkey.pem)");
        } else {
          continue; // EC PARAMETERS and the like
        }
        if (key != null) {
          throw new ConfigException(
              option + ": " + file + " holds more than one private key; give exactly one");
        }
        key = found;
      }
    } catch (IOException e) {
      throw unreadable(file, option, e);
    }
    if (key == null) {
      throw notPem(file, option, "PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY");
    }
    return key;
  }

  /**
   * An SSL context that trusts exactly the certificates of a PEM file (a private CA), for clients.
   */
  public static SSLContext trusting(Path caFile, String option) {
    List<X509Certificate> certificates = readChain(caFile, option);
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      for (int i = 0; i < certificates.size(); i++) {
        store.setCertificateEntry("ca-" + i, certificates.get(i));
      }
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), new SecureRandom());
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new ConfigException(
          option + ": cannot trust the certificates in " + caFile + ": " + e.getMessage());
    }
  }

  /** Whether the key signs what the certificate's public key verifies. */
  static boolean matches(PrivateKey key, X509Certificate certificate) {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
          default -> null;
        };
    if (algorithm == null
        || !key.getAlgorithm().equals(certificate.getPublicKey().getAlgorithm())) {
      return false;
    }
    try {
      byte[] probe = new byte[32];
      new SecureRandom().nextBytes(probe);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static PEMParser parser(Path file, String option) {
    if (!Files.exists(file)) {
      throw new ConfigException(option + ": " + file + " does not exist");
    }
    if (!Files.isReadable(file)) {
      throw new ConfigException(
          option + ": " + file + " cannot be read by this user; check its owner and mode");
    }
    try {
      Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
      return new PEMParser(reader);
    } catch (IOException e) {
      throw unreadable(file, option, e);
    }
  }

  private static Object readPem(PEMParser pem, Path file, String option) {
    try {
      return pem.readObject();
    } catch (IOException | RuntimeException e) {
      throw new ConfigException(
          option + ": " + file + " is not a valid PEM file (" + e.getMessage() + ")");
    }
  }

  private static ConfigException unreadable(Path file, String option, IOException e) {
    if (e instanceof NoSuchFileException) {
      return new ConfigException(option + ": " + file + " does not exist");
    }
    return new ConfigException(option + ": cannot read " + file + " (" + e.getMessage() + ")");
  }

  private static ConfigException notPem(Path file, String option, String expected) {
    return new ConfigException(
        option
            + ": "
            + file
            + " is not a PEM file with a "
            + expected
            + " block (-----BEGIN ...-----)");
  }

  private static String describe(Object item) {
    return item instanceof PEMKeyPair || item instanceof PrivateKeyInfo
        ? "a private key"
        : item.getClass().getSimpleName();
  }

  private static String subject(X509Certificate certificate) {
    return certificate.getSubjectX500Principal().getName();
  }
}
