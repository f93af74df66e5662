package dev.ajr.server.config;

import dev.ajr.server.auth.LdapSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Reads the {@code auth.ldap.*} options into an {@link LdapConfig}. */
final class LdapConfigParser {

  /** The environment variable holding the service account's password, when no file is given. */
  static final String PASSWORD_ENV = "AJR_LDAP_BIND_PASSWORD";

  /** Options whose README default is a description, not a value: they start empty. */
  static final List<String> EMPTY_BY_DEFAULT =
      List.of(
          "auth.ldap.uri",
          "auth.ldap.bind-dn",
          "auth.ldap.bind-password-file",
          "auth.ldap.search-base",
          "auth.ldap.ca-cert",
          "auth.ldap.admin-group",
          "auth.ldap.operator-group");

  private LdapConfigParser() {}

  static LdapConfig parse(
      Map<String, String> v, ConfigLoader.Reader r, String origin, Map<String, String> env) {
    java.time.Duration timeout = r.duration("auth.ldap.timeout");
    String uri = v.get("auth.ldap.uri").strip();
    if (uri.isEmpty()) {
      return new LdapConfig(null);
    }
    String bindDn = v.get("auth.ldap.bind-dn").strip();
    String password = "";
    if (!bindDn.isEmpty()) {
      password = env.getOrDefault(PASSWORD_ENV, "");
      String file = v.get("auth.ldap.bind-password-file").strip();
      if (!file.isEmpty()) {
        try {
          password = Files.readString(Path.of(file)).strip();
        } catch (IOException e) {
          throw new ConfigException(
              origin + ": auth.ldap.bind-password-file " + file + " cannot be read");
        }
      }
    }
    String ca = v.get("auth.ldap.ca-cert").strip();
    try {
      return new LdapConfig(
          LdapSettings.of(
              uri,
              bindDn,
              password,
              v.get("auth.ldap.search-base"),
              v.get("auth.ldap.user-filter"),
              ca.isEmpty() ? null : Path.of(ca),
              v.get("auth.ldap.admin-group"),
              v.get("auth.ldap.operator-group"),
              timeout));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(origin + ": " + e.getMessage());
    }
  }
}
