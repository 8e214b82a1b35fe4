# SPDX-License-Identifier: MIT
# shellcheck shell=bash
# A throwaway PostgreSQL 15 server for tests/bench/run.sh (sourced), with
# PostgreSQL's durable defaults said out loud: fsync on, every commit waits
# for its WAL flush (synchronous_commit=on). It listens on a Unix socket in
# its own folder only. Run as root, the server runs as the postgres account
# (initdb refuses root).
PGBIN=${MFA_BENCH_PGBIN:-/usr/lib/postgresql/15/bin}
PG_PORT=5499

pg_as_owner() { # COMMAND: runs the shell COMMAND as the server's owner
  if [ "$(id -u)" -eq 0 ]; then
    su postgres -s /bin/sh -c "$1"
  else
    sh -c "$1"
  fi
}

pg_start() { # DIR: a new cluster in DIR (an empty folder), database mfa, user mfa
  [ "$(id -u)" -ne 0 ] || chown postgres "$1"
  pg_as_owner "$PGBIN/initdb -D $1/data -A trust -U mfa >/dev/null &&
    $PGBIN/pg_ctl -D $1/data -w -l $1/log \
      -o \"-c listen_addresses='' -k $1 -p $PG_PORT -c fsync=on -c synchronous_commit=on\" start >/dev/null &&
    $PGBIN/createdb -h $1 -p $PG_PORT -U mfa mfa"
}

pg_stop() { # DIR LOG: stops the server, keeps its log as LOG and removes DIR
  if [ -d "$1/data" ]; then
    pg_as_owner "$PGBIN/pg_ctl -D $1/data -m fast -w stop >/dev/null" || true
  fi
  if [ -f "$1/log" ]; then
    cp "$1/log" "$2"
  fi
  rm -rf "$1"
}

pg_backend_ticks() { # DIR: the user + system clock ticks of the server's ended backends
  awk '{ print $16 + $17 }' "/proc/$(head -n 1 "$1/data/postmaster.pid")/stat"
}

pg_uri() { # DIR SCHEMA [SETTING...]: the URI of SCHEMA in DIR's server, with
  # each SETTING (name=value, %-encoded) for the session
  local uri="postgresql:///mfa?host=$1&port=$PG_PORT&user=mfa&options=-csearch_path%3D$2" setting
  shift 2
  for setting in "$@"; do
    uri="$uri%20-c${setting/=/%3D}"
  done
  echo "$uri"
}

# The floor of a login: a psql process doing one durable UPDATE that
# changes a row each time (its commit flushes WAL); processes at once wait
# for each other on the row, as mfa's writers do on their lock. psql from
# PGBIN, not Debian's /usr/bin/psql wrapper (a Perl script that picks a
# version).
PG_PEER_SQL="UPDATE users SET failed_attempts = 1 - failed_attempts WHERE name = 'b0'"
pg_peer_update() { # URI: the peer's command line, for hyperfine
  echo "$PGBIN/psql -X -q '$1' -c \"$PG_PEER_SQL\""
}

pg_peer_rate() { # URI N COUNT: COUNT peer processes, N at any time; prints "COUNT SECONDS"
  local start end
  start=$(date +%s%N)
  seq "$3" | xargs -P "$2" -I{} "$PGBIN/psql" -X -q "$1" -c "$PG_PEER_SQL" >/dev/null
  end=$(date +%s%N)
  echo "$3 $(((end - start) / 1000000000)).$(printf %03d $(((end - start) / 1000000 % 1000)))"
}
