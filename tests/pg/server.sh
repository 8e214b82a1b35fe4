#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A throwaway PostgreSQL 15 cluster for one test run, from Debian's packages.
#
#   tests/pg/server.sh start DIR   initdb into DIR/data (trust authentication,
#                                  a Unix socket in DIR only, no TCP, fsync on),
#                                  start it, create database "mfa" and write
#                                  its libpq URI to DIR/uri
#   tests/pg/server.sh stop DIR    stop it (fast) and remove DIR
#   tests/pg/server.sh kill DIR    stop it at once (-m immediate: as if the
#                                  machine lost power), keeping DIR
#   tests/pg/server.sh resume DIR  start a killed server again (it recovers
#                                  from its WAL) on the same socket
#
# When the server binaries are absent, start prints one "SKIP: ..." line,
# writes the reason to DIR/skip and exits 77. Any other failure is exit 1
# with the end of the server's log. As root (CI, a Debian chroot) the server
# runs as the "postgres" system account (initdb refuses root), which then
# owns DIR. PG_BINDIR overrides /usr/lib/postgresql/15/bin.
set -euo pipefail

bindir=${PG_BINDIR:-/usr/lib/postgresql/15/bin}

usage() {
  echo "usage: $0 start|stop|kill|resume DIR" >&2
  exit 2
}
[ $# -eq 2 ] || usage
action=$1
dir=$2
case "$dir" in /*) ;; *) dir="$PWD/$dir" ;; esac

# The account that runs the server, and how to run a command as it.
if [ "$(id -u)" -eq 0 ]; then
  account=postgres
  as_server() { setpriv --reuid="$account" --regid="$(id -g "$account")" --init-groups -- "$@"; }
else
  account=$(id -un)
  as_server() { "$@"; }
fi

stop_server() { # MODE: stops a server still running in $dir/data, if any
  if [ -f "$dir/data/postmaster.pid" ] && [ -x "$bindir/pg_ctl" ]; then
    as_server "$bindir/pg_ctl" -D "$dir/data" -m "$1" -w stop >/dev/null 2>&1 || true
  fi
}

case "$action" in
  stop)
    stop_server fast
    rm -rf "$dir"
    exit 0
    ;;
  kill)
    [ -f "$dir/data/postmaster.pid" ] || { echo "server.sh: no server runs in $dir" >&2; exit 1; }
    as_server "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null
    exit 0
    ;;
  resume)
    as_server "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null
    exit 0
    ;;
  start) ;;
  *) usage ;;
esac

# A server left over from a run that did not stop it goes first.
stop_server immediate
rm -rf "$dir"
mkdir -p "$dir"

for tool in initdb pg_ctl postgres psql; do
  if [ ! -x "$bindir/$tool" ]; then
    reason="PostgreSQL 15 server binaries are absent ($bindir/$tool; Debian package postgresql-15)"
    echo "$reason" >"$dir/skip"
    echo "SKIP: $reason"
    exit 77
  fi
done

if [ "$(id -u)" -eq 0 ]; then
  getent passwd "$account" >/dev/null || { echo "server.sh: running as root needs the '$account' account" >&2; exit 1; }
  chown "$account:" "$dir"
  # Every folder above DIR must let the server's account through.
  if ! as_server test -w "$dir"; then
    echo "server.sh: the account '$account' cannot reach $dir (a folder above it is closed to others)" >&2
    exit 1
  fi
fi
# Any local account may reach the socket (the data folder stays 0700).
chmod 755 "$dir"

# A Unix socket's path is limited to 107 bytes (DIR/.s.PGSQL.PORT).
if [ $(( ${#dir} + 17 )) -gt 107 ]; then
  echo "server.sh: $dir is too long for a Unix socket path" >&2
  exit 1
fi

# The port only names the socket (no TCP): any number whose socket and lock
# file are not in DIR is free; DIR is new, so the first pick is.
port=$((20000 + RANDOM % 40000))
while [ -e "$dir/.s.PGSQL.$port" ] || [ -e "$dir/.s.PGSQL.$port.lock" ]; do
  port=$((20000 + RANDOM % 40000))
done

log="$dir/server.log"
failed() {
  echo "server.sh: $*" >&2
  [ -f "$log" ] && tail -n 20 "$log" >&2
  stop_server immediate
  exit 1
}

as_server "$bindir/initdb" -D "$dir/data" --username="$account" --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
  >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; failed "initdb failed"; }
cat >>"$dir/data/postgresql.conf" <<EOF
# tests/pg/server.sh: a socket in DIR only, durable commits.
listen_addresses = ''
unix_socket_directories = '$dir'
unix_socket_permissions = 0777
port = $port
fsync = on
synchronous_commit = on
full_page_writes = on
max_connections = 100
shared_buffers = 32MB
logging_collector = off
EOF
as_server "$bindir/pg_ctl" -D "$dir/data" -l "$log" -w -t 60 start >/dev/null 2>&1 || failed "the server did not start"
"$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -U "$account" -d postgres \
  -c "CREATE DATABASE mfa" >/dev/null || failed "could not create database mfa"

# The URI for libpq (and psql): DIR percent-encoded, as a URI's query wants.
host=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe="/"))' "$dir")
echo "postgresql:///mfa?host=$host&port=$port&user=$account" >"$dir/uri"
"$bindir/psql" -X -q -A -t -v ON_ERROR_STOP=1 "$(cat "$dir/uri")" -c "SELECT 1" >/dev/null \
  || failed "the URI in $dir/uri does not connect"
echo "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on $dir (port $port): $(cat "$dir/uri")"
