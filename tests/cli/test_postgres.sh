#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# What only PostgreSQL has: several "hosts" (two spellings of one database's
# URI) sharing one user base and one key, a server that dies under a login,
# and the key file a URI needs named. Registered only as "cli on postgres".
source "$(dirname "$0")/lib.sh"
[ "$MFA_TEST_BACKEND" = postgres ] || fail "test_postgres.sh runs on PostgreSQL only (MFA_TEST_BACKEND=postgres)"
SERVER="$TOOLS/../pg/server.sh"

# other_host URI: the same database as URI, spelt as a second host would:
# postgres:// with the socket folder in the authority part, not the query.
other_host() {
  python3 -c '
import sys, urllib.parse as u
q = dict(u.parse_qsl(u.urlsplit(sys.argv[1]).query))
host = u.quote(q.pop("host"), safe="")
user = q.pop("user")
port = q.pop("port")
print(f"postgres://{user}@{host}:{port}/mfa?" + u.urlencode(q, quote_via=u.quote, safe="-"))' "$1"
}

# race_hosts COMMAND...: 16 copies at once, the odd ones on this host's URI,
# the even ones on the other host's; prints their exit codes sorted.
race_hosts() {
  local i db
  rm -rf race && mkdir race
  for i in $(seq 1 16); do
    db=$MFA_DB
    [ $((i % 2)) -eq 0 ] && db=$HOST_B
    (MFA_DB=$db "$@" >/dev/null 2>&1; echo $? >"race/$i") &
  done
  wait
  cat race/* | sort | tr '\n' ' '
}

case_the_second_spelling_is_the_same_database() {
  HOST_B=$(other_host "$MFA_DB")
  expect_contains "$HOST_B" "postgres://"
  expect_not_contains "$HOST_B" "host="
  mfa users add alice >/dev/null 2>&1 || fail "users add failed"
  expect_exit 0 env MFA_DB="$HOST_B" "$MFA_BIN" --json users show alice
  expect_eq "$(json 'j["name"]')" alice
  # psql reads it as the same schema too.
  expect_eq "$(pg_sql "$HOST_B" "SELECT count(*) FROM users")" 1
}

case_a_schema_of_any_name_length_works() {
  # 63 bytes, PostgreSQL's longest name (the suite's own names are short).
  local long
  long=$(printf '%s_%s' "${MFA_DB##*%3D}" "a_schema_name_as_long_as_postgresql_allows_xxxxxxxxxxxxxxxxxxxxxxxx" | cut -c1-63)
  export MFA_DB
  MFA_DB=$(pg_uri "$long")
  expect_exit 0 mfa init
  expect_exit 0 mfa users add alice
  expect_exit 0 mfa --json users show alice
  expect_eq "$(json 'j["name"]')" alice
  expect_eq "$(pg_sql "SELECT count(*) FROM users")" 1
}

case_a_host_list_falls_over_to_the_server_that_answers() {
  mfa users add alice >/dev/null 2>&1 || fail "users add failed"
  # libpq's host list: the first host has no server (a socket folder with
  # nothing in it), the second is this one.
  mkdir nothing-here
  local port list
  port=${MFA_DB#*port=}
  port=${port%%&*}
  list=${MFA_DB/host=/host=$PWD\/nothing-here,}
  list="${list/port=$port/port=$port,$port}&target_session_attrs=read-write"
  expect_contains "$list" "nothing-here,"
  expect_exit 0 env MFA_DB="$list" "$MFA_BIN" --json users show alice
  expect_eq "$(json 'j["name"]')" alice
  expect_exit 0 env MFA_DB="$list" "$MFA_BIN" users add bob
  expect_eq "$(pg_sql "SELECT count(*) FROM users")" 2
}

case_another_applications_schema_is_refused_and_an_empty_one_is_set_up() {
  local base=${MFA_DB##*%3D} before
  # A schema that holds some other application's tables (the names may even
  # be mfa's): not a database, and init leaves it as it was.
  pg_sql "CREATE SCHEMA ${base}_o; CREATE TABLE ${base}_o.users (id int, login text);
          INSERT INTO ${base}_o.users VALUES (1, 'someone')"
  export MFA_DB
  MFA_DB=$(pg_uri "${base}_o")
  before=$(db_state)
  expect_exit 6 mfa options list
  expect_eq "$(printf '%s\n' "$ERR" | wc -l)" 1
  expect_exit 6 mfa init
  expect_eq "$(db_state)" "$before"
  # An empty schema (made by the DBA for mfa) is not a database yet, and
  # init sets it up.
  MFA_DB=$(pg_uri "${base}_e")
  pg_sql "CREATE SCHEMA ${base}_e"
  expect_exit 6 mfa options list
  expect_contains "$ERR" "mfa init"
  expect_exit 0 mfa --json init
  expect_eq "$(json 'j["database_created"]')" True
  expect_exit 0 mfa options list
}

# damaged_schema_is_a_fault DAMAGE REPAIR COMMAND...: with DAMAGE done to
# the schema, each COMMAND (one per argument, each needs what was damaged)
# is exit 6 with one line and changes nothing; then REPAIR.
damaged_schema_is_a_fault() {
  local damage=$1 repair=$2 before cmd
  shift 2
  pg_sql "$damage"
  before=$(db_state)
  for cmd in "$@"; do
    # shellcheck disable=SC2086
    expect_exit 6 mfa --json $cmd
    expect_eq "$(json 'j["exit"]')" 6
    expect_eq "$(printf '%s\n' "$ERR" | wc -l)" 1
  done
  expect_eq "$(db_state)" "$before"
  pg_sql "$repair"
}

case_a_damaged_schema_is_exit_6_one_line_and_changes_nothing() {
  setup_story
  mfa users add alice >/dev/null 2>&1
  enroll_user alice
  local code
  code=$(code_for "$SECRET")
  damaged_schema_is_a_fault "ALTER TABLE options RENAME TO options_gone" "ALTER TABLE options_gone RENAME TO options" \
    "status alice" "options list" "verify alice $code"
  damaged_schema_is_a_fault "ALTER TABLE enrollments RENAME COLUMN secret TO secret_gone" \
    "ALTER TABLE enrollments RENAME COLUMN secret_gone TO secret" "verify alice $code"
  damaged_schema_is_a_fault "ALTER TABLE users RENAME COLUMN email TO email_gone" \
    "ALTER TABLE users RENAME COLUMN email_gone TO email" "users list" "users show alice"
  expect_exit 0 mfa verify alice "$code"
}

case_a_schema_named_as_postgresql_reads_names() {
  # Unquoted, a name is folded to lower case (as PostgreSQL's search_path
  # reads it); quoted, it is kept as written.
  local base=${MFA_DB##*%3D}
  export MFA_DB
  MFA_DB=$(pg_uri "${base^^}_U")
  expect_exit 0 mfa init
  expect_exit 0 mfa users add alice
  expect_eq "$(pg_sql "SELECT count(*) FROM ${base}_u.users")" 1
  MFA_DB=$(pg_uri "%22${base}_Q%22")
  expect_exit 0 mfa init
  expect_exit 0 mfa users add bob
  expect_eq "$(pg_sql "SELECT name FROM \"${base}_Q\".users")" bob
}

case_the_configuration_file_names_a_uri() {
  mfa users add alice >/dev/null 2>&1
  printf 'database = %s\nkey_file = %s\n' "$MFA_DB" "$PWD/mfa.key" >mfa.conf
  expect_exit 0 env -u MFA_DB -u MFA_KEY_FILE MFA_CONFIG="$PWD/mfa.conf" "$MFA_BIN" --json users show alice
  expect_eq "$(json 'j["name"]')" alice
  # Without its key_file line: the key must be named.
  printf 'database = %s\n' "$MFA_DB" >mfa.conf
  expect_exit 6 env -u MFA_DB -u MFA_KEY_FILE MFA_CONFIG="$PWD/mfa.conf" "$MFA_BIN" users show alice
  expect_contains "$ERR" "key file"
}

case_sixteen_processes_on_two_hosts_one_totp_code_exactly_one_wins_20_rounds() {
  HOST_B=$(other_host "$MFA_DB")
  mfa -y options set internalMFA required >/dev/null 2>&1
  mfa -y options set mfaPeriod 300 >/dev/null 2>&1
  mfa -y options set mfaWindow 10 >/dev/null 2>&1
  mfa -y options set mfaMaxFailedAttempts 0 >/dev/null 2>&1
  mfa users add alice >/dev/null 2>&1
  local secret round
  secret=$(mfa --json enroll alice | python3 -c 'import json,sys; print(json.load(sys.stdin)["secret"])')
  PERIOD=300
  # (Once more if a step boundary passed between computing and checking it.)
  MFA_DB=$HOST_B mfa enroll alice --confirm "$(code_for "$secret" -10)" >/dev/null 2>&1 \
    || MFA_DB=$HOST_B mfa enroll alice --confirm "$(code_for "$secret" -10)" >/dev/null 2>&1 || fail "confirm failed"
  # Each round a later step: one acceptance, 15 rejections of a used code.
  for round in $(seq -9 10); do
    expect_eq "$(race_hosts "$MFA_BIN" verify alice "$(code_for "$secret" "$round")")" "0 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 "
  done
  expect_eq "$(db_sql "SELECT count(*) FROM audit WHERE action = 'verify' AND new_value LIKE 'accepted%'")" 20
}

case_sixteen_processes_on_two_hosts_one_backup_code_exactly_one_wins_20_rounds() {
  HOST_B=$(other_host "$MFA_DB")
  setup_story
  mfa -y options set mfaMaxFailedAttempts 0 >/dev/null 2>&1
  local user code
  for user in alice bob; do
    mfa users add "$user" >/dev/null 2>&1
    enroll_user "$user"
    for code in $BACKUP_CODES; do
      expect_eq "$(race_hosts "$MFA_BIN" verify "$user" "$code")" "0 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 "
    done
    expect_exit 0 env MFA_DB="$HOST_B" "$MFA_BIN" --json backup-codes status "$user"
    expect_eq "$(json '(j["remaining"], j["used"])')" "(0, 10)"
  done
  expect_eq "$(db_sql "SELECT count(*) FROM audit WHERE action = 'verify' AND new_value = 'accepted (backup-code)'")" 20
}

case_a_server_killed_mid_verify_is_exit_6_and_leaves_no_half_written_state() {
  # A server of its own: this one is killed.
  bash "$SERVER" start "$PWD/pg" >/dev/null || fail "cannot start a second server"
  trap 'bash "$SERVER" stop "$PWD/pg" >/dev/null 2>&1' EXIT
  export MFA_DB="$(cat pg/uri)&options=-csearch_path%3Dkilled"
  expect_exit 0 mfa init
  setup_story
  mfa users add alice >/dev/null 2>&1
  enroll_user alice
  mfa verify alice 000000 >/dev/null 2>&1 # one failure on record, which an acceptance clears
  local before code verifier rc
  before=$(db_state)
  expect_contains "$before" "alice"
  code=$(code_for "$SECRET")
  # Another session holds the users table, so the verify waits inside its
  # transaction until the server dies under it.
  pg_hold_table users
  "$MFA_BIN" verify alice "$code" >verify.out 2>verify.err &
  verifier=$!
  pg_wait_for "SELECT count(*) >= 1 FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
    WHERE c.relname = 'users' AND c.relnamespace = current_schema()::regnamespace AND NOT l.granted"
  bash "$SERVER" kill "$PWD/pg" || fail "cannot kill the server"
  rc=0
  wait "$verifier" || rc=$?
  wait "$HOLDER" || true
  expect_eq "$rc" 6
  expect_eq "$(wc -l <verify.err)" 1
  expect_contains "$(cat verify.err)" "mfa: error:"
  expect_contains "$(cat verify.err)" "connection" # lost, not timed out waiting
  expect_eq "$(cat verify.out)" ""
  # After recovery nothing of the verify is there: not the step, not the
  # failure count cleared, not an audit row.
  bash "$SERVER" resume "$PWD/pg" || fail "cannot restart the server"
  expect_eq "$(db_state)" "$before"
  # The code was never used: it works once, then not again.
  expect_exit 0 mfa verify alice "$code"
  expect_exit 1 mfa verify alice "$code"
}

case_a_login_whose_connection_is_cut_is_exit_6_and_its_code_still_works_once() {
  setup_story
  mfa users add alice >/dev/null 2>&1
  enroll_user alice
  local before code verifier rc
  before=$(db_state)
  code=$(code_for "$SECRET")
  # The verify waits for the users table; its server process is ended
  # (pg_terminate_backend, as a restarted pooler or a failover would).
  pg_hold_table users
  "$MFA_BIN" verify alice "$code" >verify.out 2>verify.err &
  verifier=$!
  local waiting="FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
    WHERE c.relname = 'users' AND c.relnamespace = current_schema()::regnamespace AND NOT l.granted"
  pg_wait_for "SELECT count(*) = 1 $waiting"
  pg_sql "SELECT pg_terminate_backend(l.pid) $waiting" >/dev/null
  rc=0
  wait "$verifier" || rc=$?
  pg_sql "SELECT pg_terminate_backend($HOLDER_BACKEND)" >/dev/null
  wait "$HOLDER" || true
  expect_eq "$rc" 6
  expect_eq "$(wc -l <verify.err)" 1
  expect_eq "$(cat verify.out)" ""
  expect_eq "$(db_state)" "$before"
  expect_exit 0 mfa verify alice "$code"
  expect_exit 1 mfa verify alice "$code"
}

case_a_password_in_the_uri_is_never_shown() {
  # The server trusts local connections, so any password opens it; the
  # password is in the URI as a DBA would write it (user:password@host).
  local host port user uri
  host=${MFA_DB#*host=} port=${MFA_DB#*port=} user=${MFA_DB#*user=}
  host=${host%%&*} port=${port%%&*} user=${user%%&*}
  uri="postgresql://$user:hunter2-secret@${host//\//%2F}:$port/mfa?options=-csearch_path%3D${MFA_DB##*%3D}_p"
  export MFA_DB=$uri
  local cmd
  for cmd in "init" "--json init" "status alice" "--json status alice" "users add alice" "--json users show alice" \
    "--json audit"; do
    # shellcheck disable=SC2086
    "$MFA_BIN" $cmd >out 2>err
    expect_not_contains "$cmd: $(cat out err)" "hunter2-secret"
  done
  expect_exit 0 mfa users show alice
  # Nor when it cannot connect.
  expect_exit 6 env MFA_DB="${uri/:$port\//:1\/}" "$MFA_BIN" status alice
  expect_not_contains "$ERR" "hunter2-secret"
  expect_contains "$ERR" "***"
}

case_a_uri_without_a_named_key_file_is_exit_6_saying_so() {
  mfa users add alice >/dev/null 2>&1
  local before
  before=$(db_state)
  expect_exit 6 env -u MFA_KEY_FILE "$MFA_BIN" users list
  expect_contains "$ERR" "key file"
  expect_eq "$(printf '%s\n' "$ERR" | wc -l)" 1
  expect_exit 6 env -u MFA_KEY_FILE "$MFA_BIN" --json status alice
  expect_eq "$(json 'j["exit"]')" 6
  # Nor does init make one, nor the schema, for a database without one.
  local fresh
  fresh=$(pg_uri "${MFA_DB##*%3D}_f")
  expect_exit 6 env -u MFA_KEY_FILE MFA_DB="$fresh" "$MFA_BIN" init
  expect_contains "$ERR" "key file"
  expect_eq "$(pg_sql "SELECT count(*) FROM information_schema.schemata WHERE schema_name = '${MFA_DB##*%3D}_f'")" 0
  local keys=(*.key)
  expect_eq "${keys[*]}" mfa.key
  # Named by the flag, or by the configuration file, it opens.
  expect_exit 0 env -u MFA_KEY_FILE "$MFA_BIN" --key-file "$PWD/mfa.key" users show alice
  printf 'key_file = %s\n' "$PWD/mfa.key" >mfa.conf
  expect_exit 0 env -u MFA_KEY_FILE MFA_CONFIG="$PWD/mfa.conf" "$MFA_BIN" users show alice
  expect_eq "$(db_state)" "$before"
}

case_a_wrong_key_file_is_exit_6_and_changes_nothing() {
  setup_story
  mfa users add alice >/dev/null 2>&1
  enroll_user alice
  # Another database's key: the check value in this database refuses it.
  mkdir other
  env -u MFA_KEY_FILE "$MFA_BIN" --db "$PWD/other/mfa.db" init >/dev/null 2>&1 || fail "cannot make another key"
  [ -f other/mfa.key ] || fail "no other key"
  local before
  before=$(db_state)
  expect_exit 6 env MFA_KEY_FILE="$PWD/other/mfa.key" "$MFA_BIN" verify alice "$(code_for "$SECRET")"
  expect_eq "$(printf '%s\n' "$ERR" | wc -l)" 1
  expect_exit 6 "$MFA_BIN" --key-file "$PWD/other/mfa.key" users list
  expect_exit 6 env MFA_KEY_FILE="$PWD/no-such.key" "$MFA_BIN" status alice
  expect_eq "$(db_state)" "$before"
  expect_exit 0 mfa verify alice "$(code_for "$SECRET")"
}

case_the_readme_walkthrough_from_two_hosts() {
  HOST_B=$(other_host "$MFA_DB")
  local a=$MFA_DB secret codes
  # Host A: the admin's policy and users (init was host A's).
  expect_exit 0 mfa -y options set internalMFA required
  expect_exit 0 mfa -y options set externalMFA optional
  expect_exit 0 mfa users add alice --email alice@example.com
  expect_exit 0 mfa users add bob --external
  expect_exit 0 mfa users add carol --sso
  # Host B sees them, with the same decisions.
  export MFA_DB=$HOST_B
  expect_exit 0 mfa status alice
  expect_contains "$OUT" "enroll-required"
  expect_exit 0 mfa status bob
  expect_contains "$OUT" "enroll-optional"
  expect_exit 0 mfa status carol
  expect_contains "$OUT" "none"
  # Alice enrolls on host B, confirms on host A.
  secret=$(mfa enroll alice --qr none 2>/dev/null | sed -n "s/^secret: //p")
  [ -n "$secret" ] || fail "no secret from enroll on host B"
  codes=$(MFA_DB=$a mfa enroll alice --confirm "$(oathtool --totp -b "$secret")" 2>/dev/null) \
    || codes=$(MFA_DB=$a mfa enroll alice --confirm "$(oathtool --totp -b "$secret")" 2>/dev/null) \
    || fail "confirm on host A failed"
  # Logs in on host B; the same code on host A is refused: used.
  local next
  next=$(oathtool --totp -b "$secret" -N "now + 30 seconds")
  expect_exit 0 mfa verify alice "$next"
  expect_exit 1 env MFA_DB="$a" "$MFA_BIN" verify alice "$next"
  expect_exit 1 mfa verify alice 123456
  local backup
  backup=$(echo "$codes" | grep -E '^[0-9a-z]{5}-[0-9a-z]{5}$' | head -n 1)
  [ -n "$backup" ] || fail "no backup code in: $codes"
  expect_exit 0 env MFA_DB="$a" "$MFA_BIN" verify alice "$backup"
  expect_exit 1 mfa verify alice "$backup"
  expect_exit 0 mfa --json backup-codes status alice
  expect_eq "$(json '(j["remaining"], j["used"])')" "(9, 1)"
  # Backup codes forbidden on A, then allowed again on B: the unused come back.
  expect_exit 0 env MFA_DB="$a" "$MFA_BIN" -y options set enableMFABackupCodes no
  expect_exit 0 mfa --json backup-codes status alice
  expect_eq "$(json 'j["usable"]')" False
  expect_exit 0 mfa -y options set enableMFABackupCodes yes
  expect_exit 0 env MFA_DB="$a" "$MFA_BIN" --json backup-codes status alice
  expect_eq "$(json '(j["remaining"], j["usable"])')" "(9, True)"
  # Helpdesk on host A; host B sees the reset and its audit trail.
  expect_exit 0 env MFA_DB="$a" "$MFA_BIN" -y reset alice --reason "lost phone, ticket 4711"
  expect_exit 0 mfa status alice
  expect_contains "$OUT" "enroll-required"
  expect_exit 0 mfa --json audit --user alice
  expect_eq "$(json '[e["action"] for e in j][0]')" "reset"
  expect_eq "$(json 'any(e["reason"] == "lost phone, ticket 4711" for e in j)')" True
}

run_cases
