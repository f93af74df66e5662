#!/usr/bin/env bash
# Runs every test: unit tests (the store's against SQLite, MariaDB and PostgreSQL), then the
# integration tests against the local Slurm cluster (brought up first; it needs root the first
# time, to install slurm-wlm, slurmdbd and munge). MariaDB starts first: the cluster's slurmdbd
# keeps its accounting there.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
"$ROOT/scripts/services.sh"
"$ROOT/scripts/dev-cluster.sh" up
"$ROOT/scripts/test-tools.sh"
"$ROOT/scripts/ldap-tools.sh"
# shellcheck source=/dev/null
source "$ROOT/scripts/java-home.sh"
./mvnw -B verify "$@"
