#!/usr/bin/env bash
# Installs the programs the tests drive, from Debian's packages, when they are missing:
# Chromium for the browser tests (Playwright for Java launches /usr/bin/chromium; Playwright's own
# browser download is never used) and openssl for the test certificates. Needs root the first time.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v openssl >/dev/null || need+=(openssl)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "test-tools: missing ${need[*]}; run as root or: apt-get install ${need[*]}" >&2
    exit 1
  fi
  echo "test-tools: installing ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q "${need[@]}" >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null && apt-get install -y -q "${need[@]}" >/dev/null; }
fi
echo "test-tools: chromium and openssl are installed" >&2
