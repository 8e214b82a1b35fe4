#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A throwaway PostgreSQL 15 cluster for one test run, from Debian's packages.
#
#   tests/pg/server.sh start DIR   initdb into DIR/data (trust authentication,
#                                  a Unix socket in DIR only, no TCP, fsync on),
#                                  start it, create database "mfa" and write
#                                  its libpq URI to DIR/uri
#   tests/pg/server.sh stop DIR    stop it (fast) and remove DIR (with
#                                  MFA_TEST_PG_KEEP=1: keep it, and the
#                                  schemas of the cases that failed)
#   tests/pg/server.sh kill DIR    stop it at once (-m immediate: as if the
#                                  machine lost power), keeping DIR
#   tests/pg/server.sh resume DIR  start a killed server again (it recovers
#                                  from its WAL) on the same socket
#
# When the server binaries are absent, start prints one "SKIP: ..." line,
# writes the reason to DIR/skip and exits 77. Any other failure is exit 1
# with the end of the server's log. As root (CI, a Debian chroot) the server
# runs as the "postgres" system account (initdb refuses root), which then
# owns DIR; when a folder above DIR is closed to that account (a checkout in
# root's 0700 home), the cluster and its socket live in a private folder of
# its own under /tmp instead, named in DIR/home, removed by stop.
# PG_BINDIR overrides /usr/lib/postgresql/15/bin.
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

# The folder that holds the cluster (data, socket, log): DIR, or the one
# DIR/home names.
home=$dir
[ ! -s "$dir/home" ] || home=$(cat "$dir/home")

stop_server() { # MODE: stops a server still running in $home/data, if any
  if [ -f "$home/data/postmaster.pid" ] && [ -x "$bindir/pg_ctl" ]; then
    as_server "$bindir/pg_ctl" -D "$home/data" -m "$1" -w stop >/dev/null 2>&1 || true
  fi
}

remove() { # DIR and the cluster's own folder
  [ "$home" = "$dir" ] || rm -rf "$home"
  rm -rf "$dir"
}

case "$action" in
  stop)
    if [ "${MFA_TEST_PG_KEEP:-0}" = 1 ]; then
      echo "kept (MFA_TEST_PG_KEEP=1): $(cat "$dir/uri" 2>/dev/null); stop it with: $0 stop $dir"
      exit 0
    fi
    stop_server fast
    remove
    exit 0
    ;;
  kill)
    [ -f "$home/data/postmaster.pid" ] || { echo "server.sh: no server runs in $home" >&2; exit 1; }
    as_server "$bindir/pg_ctl" -D "$home/data" -m immediate -w stop >/dev/null
    exit 0
    ;;
  resume)
    as_server "$bindir/pg_ctl" -D "$home/data" -l "$home/server.log" -w -t 60 start >/dev/null
    exit 0
    ;;
  start) ;;
  *) usage ;;
esac

# A server left over from a run that did not stop it goes first.
stop_server immediate
remove
home=$dir
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
  # Every folder above DIR must let the server's account through; if one
  # does not, the cluster goes to a folder of its own that it can reach.
  if ! as_server test -w "$dir"; then
    home=$(mktemp -d /tmp/mfa-pg-XXXXXX)
    echo "$home" >"$dir/home"
    chown "$account:" "$home"
  fi
fi
# Any local account may reach the socket (the data folder stays 0700).
chmod 755 "$home"

# A Unix socket's path is limited to 107 bytes (HOME/.s.PGSQL.PORT).
if [ $(( ${#home} + 17 )) -gt 107 ]; then
  echo "server.sh: $home is too long for a Unix socket path" >&2
  exit 1
fi

# The port only names the socket (no TCP): any number whose socket and lock
# file are not in DIR is free; DIR is new, so the first pick is.
port=$((20000 + RANDOM % 40000))
while [ -e "$home/.s.PGSQL.$port" ] || [ -e "$home/.s.PGSQL.$port.lock" ]; do
  port=$((20000 + RANDOM % 40000))
done

log="$home/server.log"
failed() {
  echo "server.sh: $*" >&2
  [ -f "$log" ] && tail -n 20 "$log" >&2
  stop_server immediate
  exit 1
}

as_server "$bindir/initdb" -D "$home/data" --username="$account" --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
  >"$home/initdb.log" 2>&1 || { cat "$home/initdb.log" >&2; failed "initdb failed"; }
cat >>"$home/data/postgresql.conf" <<EOF
# tests/pg/server.sh: a socket in DIR only, durable commits.
listen_addresses = ''
unix_socket_directories = '$home'
unix_socket_permissions = 0777
port = $port
fsync = on
synchronous_commit = on
full_page_writes = on
max_connections = 100
shared_buffers = 32MB
logging_collector = off
EOF
as_server "$bindir/pg_ctl" -D "$home/data" -l "$log" -w -t 60 start >/dev/null 2>&1 || failed "the server did not start"
"$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$home" -p "$port" -U "$account" -d postgres \
  -c "CREATE DATABASE mfa" >/dev/null || failed "could not create database mfa"

# The URI for libpq (and psql): DIR percent-encoded, as a URI's query wants.
host=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe="/"))' "$home")
echo "postgresql:///mfa?host=$host&port=$port&user=$account" >"$dir/uri"
"$bindir/psql" -X -q -A -t -v ON_ERROR_STOP=1 "$(cat "$dir/uri")" -c "SELECT 1" >/dev/null \
  || failed "the URI in $dir/uri does not connect"
echo "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on $home (port $port): $(cat "$dir/uri")"
