#!/usr/bin/env bash
# Starts what the test suite talks to when it is not already running: PostgreSQL on 127.0.0.1:5432, and NATS with
# JetStream on 127.0.0.1:4222 (the NATS bridge's tests; those that restart a broker run one of their own); and
# installs Debian's chromium and chromium-driver when missing, for the web console's browser tests
# (ConsoleBrowserTest drives /usr/bin/chromium through /usr/bin/chromedriver, never a downloaded browser).
set -euo pipefail
if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  if command -v pg_ctlcluster >/dev/null 2>&1; then
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    echo "starting PostgreSQL $version" >&2
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  fi
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null && break; sleep 1; done
fi
pg_isready -h 127.0.0.1 -p 5432 || echo "warning: PostgreSQL is not reachable on 127.0.0.1:5432; PostgreSQL tests will fail" >&2

if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing chromium and chromium-driver for the web console's browser tests" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
  else
    echo "warning: /usr/bin/chromium or /usr/bin/chromedriver is missing; install them (apt-get install chromium chromium-driver) or the web console's browser tests will fail" >&2
  fi
fi

nats_up() { (exec 3<>/dev/tcp/127.0.0.1/4222) 2>/dev/null; }
if ! nats_up; then
  if [ -x /usr/sbin/nats-server ]; then
    echo "starting NATS (JetStream) on 127.0.0.1:4222" >&2
    mkdir -p /var/lib/nats-server
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- \
      -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log || true
  fi
  for _ in $(seq 1 30); do nats_up && break; sleep 1; done
fi
nats_up || echo "warning: NATS is not reachable on 127.0.0.1:4222 (is /usr/sbin/nats-server installed?); NATS tests will fail" >&2
