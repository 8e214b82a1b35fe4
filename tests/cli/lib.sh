# SPDX-License-Identifier: MIT
# Helpers for the CLI tests: each test file defines functions named case_*,
# sources this file and calls run_cases. Every case runs in a subshell inside
# a fresh scratch folder with its own database, made by `mfa init` (a case
# named in NO_INIT, a space-separated list, starts without one); the folder
# is kept if it fails.
#
# With MFA_TEST_BACKEND=postgres (CTest's "cli on postgres" tests) the
# database is PostgreSQL instead: the throwaway server of tests/pg/server.sh
# in MFA_TEST_PG_DIR, each case in a schema of its own (MFA_DB is the server's
# URI naming it, MFA_KEY_FILE the key in the case's folder), dropped when the
# case passes. A case about SQLite's file itself starts with sqlite_only.
set -u
: "${MFA_BIN:?MFA_BIN must name the mfa binary}"
TOOLS=${MFA_TEST_TOOLS:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
unset MFA_DB MFA_KEY_FILE MFA_ACTOR SUDO_USER NO_COLOR XDG_DATA_HOME MFA_SKIP_NOTE MFA_NA_NOTE
export LC_ALL=C.UTF-8

mfa() { "$MFA_BIN" "$@"; }

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# expect_exit N COMMAND...: runs COMMAND with stdin from /dev/null unless
# redirected by the caller, keeping stdout in $OUT and stderr in $ERR.
expect_exit() {
  local want=$1
  shift
  "$@" >"$PWD/out" 2>"$PWD/err"
  local got=$?
  OUT=$(cat "$PWD/out")
  ERR=$(cat "$PWD/err")
  [ "$got" -eq "$want" ] || fail "expected exit $want, got $got from: $* | stdout: $OUT | stderr: $ERR"
}

expect_contains() { # TEXT NEEDLE
  case "$1" in *"$2"*) ;; *) fail "expected to find '$2' in: $1" ;; esac
}

expect_not_contains() {
  case "$1" in *"$2"*) fail "did not expect '$2' in: $1" ;; *) ;; esac
}

expect_eq() { # ACTUAL EXPECTED
  [ "$1" = "$2" ] || fail "expected '$2', got '$1'"
}

# json EXPR: evaluates a Python expression over the JSON in $OUT (as `j`);
# fails unless stdout is exactly one JSON value.
json() {
  python3 -c 'import json,sys; j=json.loads(sys.stdin.read()); print(eval(sys.argv[1]))' "$1" <<<"$OUT" \
    || fail "stdout is not one JSON value: $OUT"
}

MFA_TEST_BACKEND=${MFA_TEST_BACKEND:-sqlite}
case "$MFA_TEST_BACKEND" in
  sqlite) ;;
  postgres)
    : "${MFA_TEST_PG_DIR:?MFA_TEST_PG_DIR must name the folder of tests/pg/server.sh start}"
    if [ -f "$MFA_TEST_PG_DIR/skip" ]; then
      echo "SKIP: $(cat "$MFA_TEST_PG_DIR/skip")" >&2
      exit 77
    fi
    [ -s "$MFA_TEST_PG_DIR/uri" ] || fail "no PostgreSQL server in $MFA_TEST_PG_DIR (see the test \"postgres: start a throwaway server\")"
    PG_BASE_URI=$(cat "$MFA_TEST_PG_DIR/uri")
    PSQL=${PG_BINDIR:-/usr/lib/postgresql/15/bin}/psql
    [ -x "$PSQL" ] || PSQL=psql
    ;;
  *) fail "MFA_TEST_BACKEND is sqlite or postgres, not $MFA_TEST_BACKEND" ;;
esac

# pg_sql [URI] SQL: runs SQL with psql (unaligned, tuples only), by default on
# the case's own schema (MFA_DB).
pg_sql() {
  local uri=${MFA_DB:-}
  [ $# -lt 2 ] || { uri=$1; shift; }
  "$PSQL" -X -q -A -t -v ON_ERROR_STOP=1 "$uri" -c "$1"
}

# db_sql SQL: runs SQL that both backends understand on the case's database
# (sqlite3 or psql; both print rows as fields joined by '|').
db_sql() {
  if [ "$MFA_TEST_BACKEND" = sqlite ]; then
    sqlite3 "$MFA_DB" "$1"
  else
    pg_sql "$1"
  fi
}

# pg_wait_for SQL: polls (for up to a minute) until SQL on the case's
# database prints t.
pg_wait_for() {
  local _
  for _ in $(seq 1 600); do
    [ "$(pg_sql "$1" 2>/dev/null)" = t ] && return 0
    sleep 0.1
  done
  fail "timed out waiting for: $1"
}

# pg_hold_table TABLE: another session (psql, in the background: $HOLDER;
# its server process: $HOLDER_BACKEND) locks TABLE of the case's schema
# against every other use and keeps it until it is ended; returns once the
# lock is granted.
pg_hold_table() {
  "$PSQL" -X -q "$MFA_DB" >/dev/null 2>&1 <<SQL &
BEGIN;
LOCK TABLE $1 IN ACCESS EXCLUSIVE MODE;
SELECT pg_sleep(3600);
SQL
  HOLDER=$!
  local held="FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
    WHERE c.relname = '$1' AND c.relnamespace = current_schema()::regnamespace
      AND l.mode = 'AccessExclusiveLock' AND l.granted"
  pg_wait_for "SELECT count(*) = 1 $held"
  HOLDER_BACKEND=$(pg_sql "SELECT l.pid $held")
}

# pg_read_only_uri: the case's database in sessions that may not write (as
# a standby server's are).
pg_read_only_uri() { echo "$MFA_DB%20-cdefault_transaction_read_only%3Don"; }

# pg_uri SCHEMA: the server's URI with SCHEMA first on the search path.
pg_uri() { echo "$PG_BASE_URI&options=-csearch_path%3D$1"; }

# The whole state of the database as text, to prove a command changed nothing.
# On PostgreSQL: every table of the case's schema, rows ordered by the first
# column (then by the whole row).
db_state() {
  if [ "$MFA_TEST_BACKEND" = sqlite ]; then
    sqlite3 "$MFA_DB" .dump
    return
  fi
  local table
  for table in $(pg_sql "SELECT table_name FROM information_schema.tables
      WHERE table_schema = current_schema() ORDER BY table_name"); do
    echo "-- $table"
    pg_sql "SELECT * FROM \"$table\" t ORDER BY 1, t::text"
  done
}

# db_fingerprint: a digest of the whole database, to prove that nothing
# changed: of SQLite's file, byte for byte; of PostgreSQL's db_state.
db_fingerprint() {
  if [ "$MFA_TEST_BACKEND" = sqlite ]; then
    sha256sum <"$MFA_DB"
  else
    db_state | sha256sum
  fi
}

# set_schema_version N: the schema version as another mfa would have left it.
set_schema_version() {
  if [ "$MFA_TEST_BACKEND" = sqlite ]; then
    sqlite3 "$MFA_DB" "PRAGMA user_version = $1"
  else
    pg_sql "UPDATE mfa_schema SET version = $1"
  fi
}

# sqlite_only REASON: at the top of a case that tests SQLite's file itself
# (modes, -wal/-shm, damage done with sqlite3...): on SQLite it does nothing;
# on PostgreSQL the case ends here, reported "n/a" (neither passed, failed
# nor skipped: the PostgreSQL backend has no such file).
sqlite_only() {
  [ "$MFA_TEST_BACKEND" = sqlite ] && return 0
  echo "sqlite only: $*" >"$MFA_NA_NOTE"
  exit 78
}

file_mode() { stat -c %a "$1"; }

# skip REASON: a case that cannot run here ends as skipped, with the reason;
# called outside a case (before run_cases), it skips the whole file. CTest
# reports a file with a skipped case and no failed one as "Skipped" (exit 77,
# the SKIP_RETURN_CODE of every script test), never as passed.
skip() {
  echo "SKIP: $*" >&2
  if [ -n "${MFA_SKIP_NOTE:-}" ]; then
    echo "$*" >"$MFA_SKIP_NOTE"
  fi
  exit 77
}

# drop_schemas NAME: drops the case's schema NAME and those named NAME_...
# that the case made.
drop_schemas() {
  [ -n "$1" ] || return 0
  local name
  for name in $(pg_sql "$PG_BASE_URI" "SELECT nspname FROM pg_namespace
      WHERE nspname = '$1' OR starts_with(nspname, '$1_')"); do
    pg_sql "$PG_BASE_URI" "SET client_min_messages = warning; DROP SCHEMA \"$name\" CASCADE" >/dev/null
  done
}

run_cases() {
  local passed=0 failed=0 skipped=0 na=0 name dir rc db schema="" key="" n=0
  for name in $(declare -F | awk '{print $3}' | grep '^case_'); do
    dir=$(mktemp -d "${TMPDIR:-/tmp}/mfa-cli-XXXXXX")
    rc=0
    db="$dir/mfa.db"
    if [ "$MFA_TEST_BACKEND" = postgres ]; then
      # Unique among the test files running at once (the process id and
      # the case's number); lower case, as unquoted names are; 13 bytes (a
      # case's own are this name and "_" and one more). One kept by an
      # earlier run that failed goes first.
      n=$((n + 1))
      schema=$(printf 'case_%06x%02x' "$$" "$n")
      drop_schemas "$schema"
      db=$(pg_uri "$schema")
      key="$dir/mfa.key"
    fi
    # An empty configuration file beside the folder (readable by the other
    # accounts some cases run as): a system-wide /etc/mfa/mfa.conf never
    # decides where a case's database and key are.
    : >"$dir.conf"
    chmod 644 "$dir.conf"
    (cd "$dir" && export MFA_DB="$db" HOME="$dir/home" MFA_SKIP_NOTE="$dir.skip" MFA_NA_NOTE="$dir.na" \
      MFA_CONFIG="$dir.conf" \
      && { [ -z "$key" ] || export MFA_KEY_FILE="$key"; } \
      && mkdir -p "$HOME" \
      && { case " ${NO_INIT:-} " in *" ${name#case_} "*) ;; *) "$MFA_BIN" init >/dev/null ;; esac } \
      && "$name" </dev/null) || rc=$?
    rm -f "$dir.conf"
    if [ "$rc" -eq 0 ]; then
      passed=$((passed + 1))
      echo "ok   ${name#case_}"
      rm -rf "$dir"
      drop_schemas "$schema"
    elif [ "$rc" -eq 77 ] && [ -f "$dir.skip" ]; then
      skipped=$((skipped + 1))
      echo "skip ${name#case_}: $(cat "$dir.skip")"
      rm -rf "$dir" "$dir.skip"
      drop_schemas "$schema"
    elif [ "$rc" -eq 78 ] && [ -f "$dir.na" ]; then
      na=$((na + 1))
      echo "n/a  ${name#case_}: $(cat "$dir.na")"
      rm -rf "$dir" "$dir.na"
      drop_schemas "$schema"
    else
      failed=$((failed + 1))
      echo "FAIL ${name#case_} (kept $dir${schema:+ and schema $schema})"
      rm -f "$dir.skip" "$dir.na"
    fi
  done
  if [ "$MFA_TEST_BACKEND" = postgres ]; then
    echo "$passed passed, $failed failed, $skipped skipped, $na n/a (sqlite only)"
  else
    echo "$passed passed, $failed failed, $skipped skipped"
  fi
  [ $((passed + failed + skipped + na)) -gt 0 ] || { echo "FAIL: no case_ functions ran" >&2; exit 1; }
  [ $((passed + failed + skipped)) -gt 0 ] \
    || { echo "FAIL: every case is sqlite only: give the file a case for both backends, or list it in MFA_CLI_SQLITE_ONLY (tests/CMakeLists.txt)" >&2; exit 1; }
  [ "$failed" -eq 0 ] || exit 1
  [ "$skipped" -eq 0 ] || exit 77
}

# code_for SECRET [STEPS]: the TOTP code, by oathtool, STEPS periods from now.
code_for() {
  local period=${PERIOD:-30}
  oathtool --totp -s "${period}s" -b "$1" -N "@$(($(date +%s) + ${2:-0} * period))"
}

# enroll_user NAME: starts and confirms an enrollment with oathtool's code;
# sets SECRET and BACKUP_CODES (space separated). Confirms with the previous
# time step, so that the current one and later ones stay free for the test;
# if a step boundary passed in between (that code is then outside the
# window), it confirms once more with the new previous step.
enroll_user() {
  local out
  out=$(mfa --json enroll "$1") || fail "enroll $1 failed: $out"
  SECRET=$(python3 -c 'import json,sys; print(json.loads(sys.stdin.read())["secret"])' <<<"$out")
  out=$(mfa --json enroll "$1" --confirm "$(code_for "$SECRET" -1)") \
    || out=$(mfa --json enroll "$1" --confirm "$(code_for "$SECRET" -1)") || fail "confirm $1 failed: $out"
  BACKUP_CODES=$(python3 -c 'import json,sys; print(" ".join(json.loads(sys.stdin.read())["backup_codes"]))' <<<"$out")
}

# setup_story: MFA required for internal users, optional for external.
setup_story() {
  mfa -y options set internalMFA required >/dev/null 2>&1
  mfa -y options set externalMFA optional >/dev/null 2>&1
}

# flip_byte USER: one byte of USER's sealed secret changed, after its header.
flip_byte() {
  local user="(SELECT id FROM users WHERE name = '$1')"
  if [ "$MFA_TEST_BACKEND" = sqlite ]; then
    sqlite3 "$MFA_DB" "UPDATE enrollments SET secret = CAST(substr(secret, 1, 16)
      || CASE WHEN substr(secret, 17, 1) = X'00' THEN X'01' ELSE X'00' END || substr(secret, 18) AS BLOB)
      WHERE user_id = $user" || fail "cannot change $1's secret"
  else
    pg_sql "UPDATE enrollments SET secret = set_byte(secret, 16, get_byte(secret, 16) # 1) WHERE user_id = $user" \
      >/dev/null || fail "cannot change $1's secret"
  fi
}

# the_key_file: where the case's key file is (PostgreSQL: MFA_KEY_FILE).
the_key_file() { echo "${MFA_KEY_FILE:-$PWD/mfa.key}"; }

# data_key_number: the number the data key's row records (bytes 2-5).
data_key_number() {
  local hex
  if [ "$MFA_TEST_BACKEND" = sqlite ]; then
    hex=$(sqlite3 "$MFA_DB" "SELECT hex(substr(value, 2, 4)) FROM meta WHERE key = 'data_key'")
  else
    hex=$(pg_sql "SELECT encode(substr(value, 2, 4), 'hex') FROM meta WHERE key = 'data_key'")
  fi
  [ -n "$hex" ] || { echo none; return; }
  echo $((16#$hex))
}

# three_enrollments: MFA on (setup_story); alice and bob enrolled and active
# (their secrets in ALICE and BOB), pat with a pending enrollment.
three_enrollments() {
  setup_story
  local user
  for user in alice bob pat; do
    mfa users add "$user" >/dev/null 2>&1 || fail "users add $user"
  done
  enroll_user bob
  BOB=$SECRET
  enroll_user alice
  ALICE=$SECRET
  mfa enroll pat >/dev/null 2>&1 || fail "enroll pat"
}
