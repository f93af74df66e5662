package dev.ajr.server.auth;

import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.util.ssl.SSLSocketVerifier;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;

/**
 * Checks, after the TLS handshake, that the server's certificate names the host of the configured
 * URI (RFC 6125, as HTTPS clients do): an IP address must be one of its IP address names; a host
 * name one of its DNS names, where {@code *} may stand for the whole leftmost label; the subject's
 * CN counts only when the certificate has no subject alternative names at all. No DNS look-ups.
 */
final class CertificateHostVerifier extends SSLSocketVerifier {

  private static final int DNS = 2;
  private static final int IP = 7;

  @Override
  public void verifySSLSocket(String host, int port, SSLSocket socket) throws LDAPException {
    X509Certificate cert;
    try {
      Certificate[] chain = socket.getSession().getPeerCertificates();
      cert = (X509Certificate) chain[0];
    } catch (SSLPeerUnverifiedException | ClassCastException | ArrayIndexOutOfBoundsException e) {
      throw new LDAPException(
          ResultCode.CONNECT_ERROR, "the server " + host + " presented no certificate", e);
    }
    if (!names(cert, host)) {
      String message =
          "the server's certificate does not name the host "
              + host
              + " (it is for "
              + cert.getSubjectX500Principal().getName()
              + ")";
      throw new LDAPException(
          ResultCode.CONNECT_ERROR, message, new SSLPeerUnverifiedException(message));
    }
  }

  /** Whether the certificate is for the host (a name or an IP address literal). */
  static boolean names(X509Certificate cert, String host) {
    Collection<List<?>> alternatives;
    try {
      alternatives = cert.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      return false;
    }
    boolean literal = isIpLiteral(host);
    if (alternatives == null || alternatives.isEmpty()) {
      String cn = commonName(cert);
      return !literal && cn != null && dnsMatches(cn, host);
    }
    for (List<?> name : alternatives) {
      int type = (Integer) name.get(0);
      String value = String.valueOf(name.get(1));
      if (literal && type == IP && sameAddress(value, host)) {
        return true;
      }
      if (!literal && type == DNS && dnsMatches(value, host)) {
        return true;
      }
    }
    return false;
  }

  private static boolean dnsMatches(String pattern, String host) {
    String p = stripDot(pattern.toLowerCase(Locale.ROOT));
    String h = stripDot(host.toLowerCase(Locale.ROOT));
    if (p.startsWith("*.")) {
      int dot = h.indexOf('.');
      return dot > 0 && p.substring(1).equals(h.substring(dot)) && p.indexOf('.', 2) > 0;
    }
    return p.equals(h);
  }

  private static String stripDot(String name) {
    return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
  }

  private static boolean isIpLiteral(String host) {
    return host.matches("[0-9.]+") || host.contains(":");
  }

  private static boolean sameAddress(String a, String b) {
    try {
      // both are literals: InetAddress parses them without a look-up
      return InetAddress.getByName(a).equals(InetAddress.getByName(b));
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static String commonName(X509Certificate cert) {
    List<String> cns = new ArrayList<>();
    for (String rdn : cert.getSubjectX500Principal().getName().split(",")) {
      if (rdn.regionMatches(true, 0, "CN=", 0, 3)) {
        cns.add(rdn.substring(3));
      }
    }
    return cns.size() == 1 ? cns.get(0) : null;
  }
}
