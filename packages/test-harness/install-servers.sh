#!/bin/sh
# Installs the Debian packages whose servers the test harness starts (PostgreSQL, Redis, memcached),
# only those whose binaries are missing. CI calls it before `vitest run`; needs root (or sudo).
set -eu

missing=""
have_postgres() {
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/initdb" ] && [ -x "$dir/postgres" ] && return 0
  done
  command -v initdb >/dev/null 2>&1 && command -v postgres >/dev/null 2>&1
}
have_postgres || missing="$missing postgresql"
command -v redis-server >/dev/null 2>&1 || missing="$missing redis-server"
command -v redis-cli >/dev/null 2>&1 || missing="$missing redis-tools"
command -v memcached >/dev/null 2>&1 || missing="$missing memcached"

if [ -z "$missing" ]; then
  echo "install-servers: postgresql, redis-server, redis-tools and memcached are installed"
  exit 0
fi

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "install-servers: installing$missing"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update
# shellcheck disable=SC2086 # word splitting of the package list is intended
$sudo apt-get install -y --no-install-recommends $missing
