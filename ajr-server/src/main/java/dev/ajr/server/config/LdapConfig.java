package dev.ajr.server.config;

import dev.ajr.server.auth.LdapSettings;

/**
 * Logins with directory accounts (LDAP, as BCM clusters configure it); off unless {@code
 * auth.ldap.uri} is set.
 *
 * @param settings the directory's settings, or null when LDAP logins are off
 */
public record LdapConfig(LdapSettings settings) {

  public boolean enabled() {
    return settings != null;
  }
}
