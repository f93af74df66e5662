package dev.ajr.server.config;

import static dev.ajr.server.config.option.OptionType.duration;
import static dev.ajr.server.config.option.OptionType.path;
import static dev.ajr.server.config.option.OptionType.text;
import static dev.ajr.server.config.option.OptionType.urlText;

import dev.ajr.server.auth.LdapSettings;
import dev.ajr.server.config.option.Option;
import dev.ajr.server.config.option.OptionValues;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** {@code auth.ldap.*}: logins with directory accounts; off unless {@code auth.ldap.uri}. */
public final class LdapOptions {

  public static final Option<String> URI =
      Option.key("auth.ldap.uri", urlText("ldaps://ldap.example.com"))
          .frequent()
          .withDescription(
              "log users in with their directory account: ldaps://HOST (or ldap://), several"
                  + " separated by spaces, tried in order; LDAP logins are off when empty");

  public static final Option<String> BIND_DN =
      Option.key("auth.ldap.bind-dn", text())
          .frequent()
          .withDescription(
              "the service account that searches users, like cn=ajr,ou=services,dc=example,dc=com;"
                  + " empty: anonymous search");

  public static final Option<Path> BIND_PASSWORD_FILE =
      Option.key("auth.ldap.bind-password-file", path())
          .secretEnv("AJR_LDAP_BIND_PASSWORD")
          .secret()
          .frequent()
          .withDescription(
              "a file holding the service account's password (else the environment variable)");

  public static final Option<String> SEARCH_BASE =
      Option.key("auth.ldap.search-base", text())
          .frequent()
          .withDescription(
              "where users are searched (whole subtree), like ou=people,dc=example,dc=com");

  public static final Option<String> USER_FILTER =
      Option.key("auth.ldap.user-filter", text())
          .defaultValue(LdapSettings.DEFAULT_USER_FILTER)
          .withDescription("the filter that finds a user; {0} is the user name, escaped");

  public static final Option<Path> CA_CERT =
      Option.key("auth.ldap.ca-cert", path())
          .shownAs("(JDK trust store)")
          .frequent()
          .withDescription(
              "PEM file of the CA that issued the LDAP server's certificate (ldaps://)");

  public static final Option<String> ADMIN_GROUP =
      Option.key("auth.ldap.admin-group", text())
          .frequent()
          .withDescription("DN of the group whose members are admins");

  public static final Option<String> OPERATOR_GROUP =
      Option.key("auth.ldap.operator-group", text())
          .frequent()
          .withDescription(
              "DN of the group whose members are operators; other directory users are viewers");

  public static final Option<Duration> TIMEOUT =
      Option.key("auth.ldap.timeout", duration())
          .defaultValue(Duration.ofSeconds(5))
          .withDescription("the longest a connection to the LDAP server or one request may take");

  static final List<Option<?>> OPTIONS =
      List.of(
          URI,
          BIND_DN,
          BIND_PASSWORD_FILE,
          SEARCH_BASE,
          USER_FILTER,
          CA_CERT,
          ADMIN_GROUP,
          OPERATOR_GROUP,
          TIMEOUT);

  private LdapOptions() {}

  static LdapConfig from(OptionValues v) {
    Duration timeout = v.get(TIMEOUT);
    Optional<String> uri = v.find(URI);
    if (uri.isEmpty()) {
      return new LdapConfig(null);
    }
    String bindDn = v.find(BIND_DN).orElse("");
    String password = bindDn.isEmpty() ? "" : v.secret(BIND_PASSWORD_FILE);
    try {
      return new LdapConfig(
          LdapSettings.of(
              uri.get(),
              bindDn,
              password,
              v.find(SEARCH_BASE).orElse(""),
              v.get(USER_FILTER),
              v.find(CA_CERT).orElse(null),
              v.find(ADMIN_GROUP).orElse(""),
              v.find(OPERATOR_GROUP).orElse(""),
              timeout));
    } catch (IllegalArgumentException e) {
      throw v.invalid(e.getMessage());
    }
  }
}
