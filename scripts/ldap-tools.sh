#!/usr/bin/env bash
# Installs what the LDAP tests drive, from Debian's packages, when it is missing: slapd (the tests
# start their own OpenLDAP server on free loopback ports, see dev.ajr.server.auth.Slapd),
# ldap-utils (ldapsearch, for looking at it by hand) and openssl (the test certificates).
# The package is preseeded to create no directory of its own, so no system slapd serves one on
# port 389. Needs root the first time.
set -euo pipefail
need=()
[ -x /usr/sbin/slapd ] || need+=(slapd)
command -v ldapsearch >/dev/null || need+=(ldap-utils)
command -v openssl >/dev/null || need+=(openssl)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "ldap-tools: missing ${need[*]}; run as root or: apt-get install ${need[*]}" >&2
    exit 1
  fi
  echo "ldap-tools: installing ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  echo "slapd slapd/no_configuration boolean true" | debconf-set-selections
  apt-get install -y -q "${need[@]}" >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null && apt-get install -y -q "${need[@]}" >/dev/null; }
fi
echo "ldap-tools: slapd, ldap-utils and openssl are installed" >&2
