package dev.ajr.server.auth;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPURL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How to reach an LDAP directory and find users in it, as BCM configures its LDAP client: server
 * URIs, a service bind DN and password, a search base, a user filter and a CA certificate. Built
 * only through {@link #of}, which checks every field, so an instance is always usable. {@link
 * #toString} never shows the password.
 *
 * @param uris one or more {@code ldap://} or {@code ldaps://} servers, tried in order
 * @param bindDn the service account the user search runs as; empty: anonymous search
 * @param bindPassword the service account's password (empty when bindDn is)
 * @param searchBase where users are searched (whole subtree)
 * @param userFilter an LDAP filter where {@code {0}} stands for the escaped user name
 * @param caCert PEM file of the CA(s) trusted for ldaps; null: the JDK's trust store
 * @param adminGroup DN of the group whose members are admins; empty: none
 * @param operatorGroup DN of the group whose members are operators; empty: none
 * @param timeout the longest a connect or one request may take
 */
public record LdapSettings(
    List<LDAPURL> uris,
    String bindDn,
    String bindPassword,
    String searchBase,
    String userFilter,
    Path caCert,
    String adminGroup,
    String operatorGroup,
    Duration timeout) {

  /** The user filter when none is configured. */
  public static final String DEFAULT_USER_FILTER = "(uid={0})";

  public LdapSettings {
    uris = List.copyOf(uris);
  }

  /**
   * Checks and builds the settings; throws {@link IllegalArgumentException} with a message naming
   * the option at fault (never the password).
   *
   * @param uris space- or comma-separated {@code ldap://} / {@code ldaps://} URIs
   */
  public static LdapSettings of(
      String uris,
      String bindDn,
      String bindPassword,
      String searchBase,
      String userFilter,
      Path caCert,
      String adminGroup,
      String operatorGroup,
      Duration timeout) {
    List<LDAPURL> servers = new ArrayList<>();
    for (String uri : uris.strip().split("[\\s,]+")) {
      if (uri.isEmpty()) {
        continue;
      }
      LDAPURL url;
      try {
        url = new LDAPURL(uri);
      } catch (LDAPException e) {
        throw new IllegalArgumentException(
            "auth.ldap.uri \"" + uri + "\" is not an LDAP URI like ldaps://ldap.example.com");
      }
      if (!url.hostProvided()) {
        throw new IllegalArgumentException(
            "auth.ldap.uri \"" + uri + "\" names no host, like ldaps://ldap.example.com");
      }
      servers.add(url);
    }
    if (servers.isEmpty()) {
      throw new IllegalArgumentException("auth.ldap.uri is empty");
    }
    boolean secure = servers.get(0).getScheme().equals("ldaps");
    for (LDAPURL url : servers) {
      if (url.getScheme().equals("ldaps") != secure) {
        throw new IllegalArgumentException(
            "auth.ldap.uri mixes ldap:// and ldaps:// servers; use one kind");
      }
    }
    bindDn = bindDn == null ? "" : bindDn.strip();
    bindPassword = bindPassword == null ? "" : bindPassword;
    if (!bindDn.isEmpty()) {
      dn("auth.ldap.bind-dn", bindDn);
      if (bindPassword.isEmpty()) {
        throw new IllegalArgumentException(
            "auth.ldap.bind-dn needs a password: set auth.ldap.bind-password-file or the"
                + " environment variable AJR_LDAP_BIND_PASSWORD");
      }
    }
    searchBase = searchBase == null ? "" : searchBase.strip();
    if (searchBase.isEmpty()) {
      throw new IllegalArgumentException(
          "auth.ldap.search-base is needed with auth.ldap.uri, like ou=people,dc=example,dc=com");
    }
    dn("auth.ldap.search-base", searchBase);
    userFilter =
        userFilter == null || userFilter.isBlank() ? DEFAULT_USER_FILTER : userFilter.strip();
    if (!userFilter.contains("{0}")) {
      throw new IllegalArgumentException(
          "auth.ldap.user-filter must contain {0} where the user name goes, like (uid={0})");
    }
    try {
      Filter.create(userFilter.replace("{0}", "x"));
    } catch (LDAPException e) {
      throw new IllegalArgumentException(
          "auth.ldap.user-filter \"" + userFilter + "\" is not an LDAP filter like (uid={0})");
    }
    if (caCert != null) {
      if (!secure) {
        throw new IllegalArgumentException(
            "auth.ldap.ca-cert is given but auth.ldap.uri is ldap://, which does not use TLS;"
                + " use ldaps://");
      }
      if (!Files.isReadable(caCert)) {
        throw new IllegalArgumentException("auth.ldap.ca-cert " + caCert + " cannot be read");
      }
      LdapTrust.certificates(caCert); // fails early and clearly on a file that holds no CA
    }
    adminGroup = adminGroup == null ? "" : adminGroup.strip();
    operatorGroup = operatorGroup == null ? "" : operatorGroup.strip();
    if (!adminGroup.isEmpty()) {
      dn("auth.ldap.admin-group", adminGroup);
    }
    if (!operatorGroup.isEmpty()) {
      dn("auth.ldap.operator-group", operatorGroup);
    }
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("auth.ldap.timeout must be more than 0");
    }
    return new LdapSettings(
        servers,
        bindDn,
        bindPassword,
        searchBase,
        userFilter,
        caCert,
        adminGroup,
        operatorGroup,
        timeout);
  }

  /** Whether the servers are reached over TLS (ldaps://). */
  public boolean secure() {
    return uris.get(0).getScheme().equals("ldaps");
  }

  /** The servers, as configured, for messages and logs. */
  public String servers() {
    return String.join(" ", uris.stream().map(LDAPURL::toString).toList());
  }

  @Override
  public String toString() {
    return "LdapSettings[uris="
        + servers()
        + ", bindDn="
        + bindDn
        + ", bindPassword="
        + (bindPassword.isEmpty() ? "(none)" : "***")
        + ", searchBase="
        + searchBase
        + ", userFilter="
        + userFilter
        + ", caCert="
        + (caCert == null ? "(JDK trust store)" : caCert)
        + ", adminGroup="
        + adminGroup
        + ", operatorGroup="
        + operatorGroup
        + ", timeout="
        + timeout
        + "]";
  }

  private static void dn(String option, String value) {
    try {
      new DN(value);
    } catch (LDAPException e) {
      throw new IllegalArgumentException(
          option + " \"" + value + "\" is not a DN like cn=ajr,dc=example,dc=com");
    }
  }
}
