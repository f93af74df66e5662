#!/usr/bin/env bash
# Makes sure the servers the tests use are running on this machine: MariaDB on 127.0.0.1:3306
# (root, no password), PostgreSQL on 127.0.0.1:5432 (trust) and RabbitMQ on 127.0.0.1:5672
# (guest/guest). Starts a server that is installed but stopped; says what to do when one is
# missing.
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
if ! listening 5672; then
  if command -v rabbitmqctl >/dev/null && command -v rabbitmq-server >/dev/null; then
    if timeout 60 rabbitmqctl -q ping >/dev/null 2>&1; then
      # the node runs but its application was stopped (a test's stop_app interrupted)
      echo "services: starting RabbitMQ's application (rabbitmqctl start_app)" >&2
      timeout 120 rabbitmqctl -q start_app
    else
      echo "services: starting RabbitMQ" >&2
      rabbitmq-server -detached
    fi
    timeout 120 rabbitmqctl -q await_startup || true
    wait_for 5672 RabbitMQ
  else
    echo "services: RabbitMQ is not installed (apt-get install rabbitmq-server)" >&2
    exit 1
  fi
fi
echo "services: MariaDB, PostgreSQL and RabbitMQ are up" >&2
