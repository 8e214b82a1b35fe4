#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A code is accepted once even when many processes submit it at the same
# instant, and a crash in the middle of an import loses nothing but the import.
source "$(dirname "$0")/lib.sh"

# race N COMMAND...: starts N copies at once; prints their exit codes sorted.
race() {
  local n=$1 i
  shift
  rm -rf race && mkdir race
  for i in $(seq 1 "$n"); do
    ("$@" >/dev/null 2>&1; echo $? >"race/$i") &
  done
  wait
  cat race/* | sort | tr '\n' ' '
}

case_sixteen_processes_one_totp_code_exactly_one_acceptance_20_rounds() {
  mfa -y options set internalMFA required >/dev/null 2>&1
  mfa -y options set mfaPeriod 300 >/dev/null 2>&1
  mfa -y options set mfaWindow 10 >/dev/null 2>&1
  mfa -y options set mfaMaxFailedAttempts 0 >/dev/null 2>&1
  mfa users add alice >/dev/null 2>&1
  local secret round zeros
  secret=$(mfa --json enroll alice | python3 -c 'import json,sys; print(json.load(sys.stdin)["secret"])')
  PERIOD=300
  # (Once more if a step boundary passed between computing and checking it.)
  mfa enroll alice --confirm "$(code_for "$secret" -10)" >/dev/null 2>&1 \
    || mfa enroll alice --confirm "$(code_for "$secret" -10)" >/dev/null 2>&1 || fail "confirm failed"
  for round in $(seq -9 10); do
    local codes
    codes=$(race 16 "$MFA_BIN" verify alice "$(code_for "$secret" "$round")")
    expect_eq "$codes" "0 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 "
  done
  zeros=$(db_sql "SELECT count(*) FROM audit WHERE action = 'verify' AND new_value LIKE 'accepted%'")
  expect_eq "$zeros" 20
}

case_sixteen_processes_one_backup_code_exactly_one_acceptance() {
  mfa -y options set internalMFA required >/dev/null 2>&1
  mfa -y options set mfaMaxFailedAttempts 0 >/dev/null 2>&1
  mfa users add alice >/dev/null 2>&1
  enroll_user alice
  local code
  for code in $(echo "$BACKUP_CODES" | cut -d' ' -f1-3); do
    expect_eq "$(race 16 "$MFA_BIN" verify alice "$code")" "0 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 "
  done
  expect_exit 0 mfa --json backup-codes status alice
  expect_eq "$(json '(j["remaining"], j["used"])')" "(7, 3)"
}

case_kill_9_during_a_100000_row_import_leaves_zero_or_all_rows() {
  python3 -c '
print("name,type,auth,email")
for i in range(100000):
    kind = "internal" if i % 3 else "external"
    print(f"user{i:06d},{kind},password,u{i}@example.com")' >big.csv || fail "cannot make the CSV"
  mfa init >/dev/null
  local attempt killed=0 pid count
  # Kill at several points of the run (it takes about a second here).
  for attempt in 0.15 0.4 0.7; do
    "$MFA_BIN" users import big.csv >/dev/null 2>&1 &
    pid=$!
    sleep "$attempt"
    if kill -9 $pid 2>/dev/null; then
      killed=$((killed + 1))
    fi
    wait $pid 2>/dev/null
    [ "$MFA_TEST_BACKEND" != sqlite ] || expect_eq "$(sqlite3 "$MFA_DB" 'PRAGMA integrity_check')" ok
    count=$(db_sql 'SELECT count(*) FROM users')
    case "$count" in 0 | 100000) ;; *) fail "a killed import left $count rows" ;; esac
    [ "$count" -eq 0 ] || db_sql 'DELETE FROM users; DELETE FROM audit'
  done
  [ "$killed" -gt 0 ] || fail "the import always finished before it could be killed"
  # And it still works afterwards, all of it.
  expect_exit 0 mfa users import big.csv
  expect_eq "$(db_sql 'SELECT count(*) FROM users')" 100000
}

case_a_busy_database_is_exit_6_never_a_wrong_code() {
  mfa -y options set internalMFA required >/dev/null 2>&1
  mfa users add alice >/dev/null 2>&1
  enroll_user alice
  if [ "$MFA_TEST_BACKEND" = postgres ]; then
    # Another session holds the users table past the lock timeout.
    pg_hold_table users
    expect_exit 6 mfa --json verify alice "$(code_for "$SECRET")"
    expect_contains "$(json 'j["error"]')" "locked by another process"
    pg_sql "SELECT pg_terminate_backend($HOLDER_BACKEND)" >/dev/null
    wait "$HOLDER"
    expect_exit 0 mfa --json users show alice
    expect_eq "$(json 'j["failed_attempts"]')" 0
    expect_exit 0 mfa verify alice "$(code_for "$SECRET")"
    return
  fi
  # Another process holds the write lock for longer than the busy timeout.
  mkfifo held
  python3 -c '
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
open("held", "w").write("locked\n")
time.sleep(8)
c.execute("ROLLBACK")' "$MFA_DB" &
  local holder=$!
  read -r _ <held
  expect_exit 6 mfa --json verify alice "$(code_for "$SECRET")"
  expect_contains "$(json 'j["error"]')" "locked by another process"
  wait $holder
  expect_exit 0 mfa --json users show alice
  expect_eq "$(json 'j["failed_attempts"]')" 0
  expect_exit 0 mfa verify alice "$(code_for "$SECRET")"
}

run_cases
