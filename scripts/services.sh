#!/usr/bin/env bash
# Makes sure the database servers the tests use are running on this machine: MariaDB on
# 127.0.0.1:3306 (root, no password) and PostgreSQL on 127.0.0.1:5432 (trust). Starts a server
# that is installed but stopped; says what to do when one is missing.
# The e-mail notification tests need no service from here: they start a real SMTP server
# (GreenMail, from Maven Central, test scope) inside the test JVM on a free port of 127.0.0.1.
set -euo pipefail

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for() {
  local port=$1 name=$2
  for _ in $(seq 1 60); do
    if listening "$port"; then return 0; fi
    sleep 0.5
  done
  echo "services: $name did not start listening on 127.0.0.1:$port" >&2
  return 1
}

if ! listening 3306; then
  if [ -x /usr/sbin/mariadbd ]; then
    echo "services: starting MariaDB" >&2
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
    wait_for 3306 MariaDB
  else
    echo "services: MariaDB is not installed (apt-get install mariadb-server)" >&2
    exit 1
  fi
fi

if ! listening 5432; then
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    echo "services: starting PostgreSQL" >&2
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
    wait_for 5432 PostgreSQL
  else
    echo "services: PostgreSQL is not installed (apt-get install postgresql)" >&2
    exit 1
  fi
fi
echo "services: MariaDB and PostgreSQL are up" >&2
