package dev.ajr.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ajr.server.auth.LdapSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LdapConfigTest {

  private static final String SECRET = "s3cret-bind-password";

  @TempDir Path dir;

  private Path yaml(String text) throws IOException {
    return Files.writeString(dir.resolve("ajr.yaml"), text);
  }

  private Path passwordFile() throws IOException {
    return Files.writeString(dir.resolve("bind-password"), SECRET + "\n");
  }

  /** A real CA certificate (the first of the JDK's trust store), written as PEM. */
  private Path pemCa() throws Exception {
    TrustManagerFactory f =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    f.init((KeyStore) null);
    X509Certificate ca = ((X509TrustManager) f.getTrustManagers()[0]).getAcceptedIssuers()[0];
    String pem =
        "-----BEGIN CERTIFICATE-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(ca.getEncoded())
            + "\n-----END CERTIFICATE-----\n";
    return Files.writeString(dir.resolve("ca.pem"), pem);
  }

  private static AjrConfig load(Map<String, String> options, Map<String, String> env) {
    return ConfigLoader.load(null, options, env);
  }

  @Test
  void ldapIsOffByDefault() {
    AjrConfig c = ConfigLoader.load(null, Map.of(), Map.of());

    assertThat(c.ldap().enabled()).isFalse();
  }

  @Test
  void everyOptionIsReadFromTheFileAndThePasswordFromItsFile() throws Exception {
    Path ca = pemCa();
    AjrConfig c =
        ConfigLoader.load(
            yaml(
                "auth:\n"
                    + "  ldap:\n"
                    + "    uri: ldaps://ldap1.example.com ldaps://ldap2.example.com:1636\n"
                    + "    bind-dn: cn=ajr,ou=services,dc=example,dc=com\n"
                    + "    bind-password-file: "
                    + passwordFile()
                    + "\n"
                    + "    search-base: ou=people,dc=example,dc=com\n"
                    + "    user-filter: (&(objectClass=posixAccount)(uid={0}))\n"
                    + "    ca-cert: "
                    + ca
                    + "\n"
                    + "    admin-group: cn=admins,ou=groups,dc=example,dc=com\n"
                    + "    operator-group: cn=ops,ou=groups,dc=example,dc=com\n"
                    + "    timeout: 2s\n"),
            Map.of(),
            Map.of("AJR_LDAP_BIND_PASSWORD", "from-the-environment"));

    LdapSettings s = c.ldap().settings();
    assertThat(c.ldap().enabled()).isTrue();
    assertThat(s.servers()).isEqualTo("ldaps://ldap1.example.com ldaps://ldap2.example.com:1636");
    assertThat(s.uris().get(0).getPort()).isEqualTo(636);
    assertThat(s.secure()).isTrue();
    assertThat(s.bindDn()).isEqualTo("cn=ajr,ou=services,dc=example,dc=com");
    assertThat(s.bindPassword()).isEqualTo(SECRET);
    assertThat(s.searchBase()).isEqualTo("ou=people,dc=example,dc=com");
    assertThat(s.userFilter()).isEqualTo("(&(objectClass=posixAccount)(uid={0}))");
    assertThat(s.caCert()).isEqualTo(ca);
    assertThat(s.adminGroup()).isEqualTo("cn=admins,ou=groups,dc=example,dc=com");
    assertThat(s.operatorGroup()).isEqualTo("cn=ops,ou=groups,dc=example,dc=com");
    assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.toString()).doesNotContain(SECRET).contains("bindPassword=***");
  }

  @Test
  void theDefaultsAreTheUidFilterTheJdkTrustAndFiveSeconds() {
    LdapSettings s =
        load(
                Map.of(
                    "auth.ldap.uri", "ldaps://ldap.example.com", "auth.ldap.search-base", "dc=x"),
                Map.of())
            .ldap()
            .settings();

    assertThat(s.userFilter()).isEqualTo("(uid={0})");
    assertThat(s.caCert()).isNull();
    assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(s.bindDn()).isEmpty();
    assertThat(s.adminGroup()).isEmpty();
  }

  @Test
  void thePasswordComesFromTheEnvironmentWithoutAFile() {
    LdapSettings s =
        load(
                Map.of(
                    "auth.ldap.uri", "ldap://127.0.0.1:389",
                    "auth.ldap.bind-dn", "cn=ajr,dc=x",
                    "auth.ldap.search-base", "dc=x"),
                Map.of("AJR_LDAP_BIND_PASSWORD", SECRET))
            .ldap()
            .settings();

    assertThat(s.bindPassword()).isEqualTo(SECRET);
    assertThat(s.secure()).isFalse();
  }

  @Test
  void aBindDnWithoutAPasswordIsRefusedNamingBothWays() {
    assertThatThrownBy(() ->
            load(
                Map.of(
                    "auth.ldap.uri", "ldaps://ldap.example.com",
                    "auth.ldap.bind-dn", "cn=ajr,dc=x",
                    "auth.ldap.search-base", "dc=x"),
                Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("auth.ldap.bind-password-file")
        .hasMessageContaining("AJR_LDAP_BIND_PASSWORD");
  }

  @Test
  void anUnreadablePasswordFileIsNamed() {
    assertThatThrownBy(() ->
            load(
                Map.of(
                    "auth.ldap.uri", "ldaps://ldap.example.com",
                    "auth.ldap.bind-dn", "cn=ajr,dc=x",
                    "auth.ldap.bind-password-file", dir.resolve("missing").toString(),
                    "auth.ldap.search-base", "dc=x"),
                Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("auth.ldap.bind-password-file")
        .hasMessageContaining("missing");
  }

  @Test
  void badValuesAreRefusedWithAMessageNamingTheOptionAndNeverThePassword() throws Exception {
    Path notACert = Files.writeString(dir.resolve("not-a-cert.pem"), "hello\n");
    Map<String, String> good =
        Map.of(
            "auth.ldap.uri", "ldaps://ldap.example.com",
            "auth.ldap.bind-dn", "cn=ajr,dc=x",
            "auth.ldap.bind-password-file", passwordFile().toString(),
            "auth.ldap.search-base", "dc=x");
    Map<String, String> bad =
        Map.of(
            "auth.ldap.uri", "https://ldap.example.com",
            "auth.ldap.search-base", "not a dn",
            "auth.ldap.user-filter", "(uid=alice)",
            "auth.ldap.ca-cert", notACert.toString(),
            "auth.ldap.admin-group", "admins",
            "auth.ldap.operator-group", "ops",
            "auth.ldap.timeout", "0s");
    for (Map.Entry<String, String> b : bad.entrySet()) {
      Map<String, String> options = new java.util.HashMap<>(good);
      options.put(b.getKey(), b.getValue());
      assertThatThrownBy(() -> load(options, Map.of()))
          .as(b.getKey())
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining(b.getKey())
          .hasMessageNotContaining(SECRET);
    }
  }

  @Test
  void aCaCertNeedsLdaps() throws Exception {
    Path ca = pemCa();
    assertThatThrownBy(() ->
            load(
                Map.of(
                    "auth.ldap.uri", "ldap://ldap.example.com",
                    "auth.ldap.search-base", "dc=x",
                    "auth.ldap.ca-cert", ca.toString()),
                Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ldaps://");
  }

  @Test
  void aSearchBaseIsNeeded() {
    assertThatThrownBy(() -> load(Map.of("auth.ldap.uri", "ldaps://ldap.example.com"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("auth.ldap.search-base is needed");
  }
}
