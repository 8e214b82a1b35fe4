#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The write-ahead log stays small in every state of the database: every new
# process reads the whole log, so a log that grows makes every login slower.
source "$(dirname "$0")/lib.sh"

# The bound the library keeps (1 MiB), plus one transaction of logins.
LIMIT=$((1024 * 1024 + 64 * 1024))

wal_size() { stat -c %s "$MFA_DB-wal" 2>/dev/null || echo 0; }

expect_small_wal() { # WHEN
  local size
  size=$(wal_size)
  [ "$size" -le "$LIMIT" ] || fail "$1: the WAL is $size bytes, more than $LIMIT"
}

make_csv() { # ROWS
  python3 -c '
import sys
print("name,type,auth,email")
for i in range(int(sys.argv[1])):
    print(f"user{i:07d},internal,password,user{i}@example.com")' "$1" >users.csv
}

case_a_bulk_import_leaves_no_long_log_behind() {
  sqlite_only "the size of the SQLite file's -wal"
  make_csv 40000
  mfa users import users.csv >/dev/null 2>&1 || fail "import failed"
  expect_small_wal "after importing 40,000 users"
  # Without the bound the log of that import would be several megabytes.
  [ "$(stat -c %s "$MFA_DB")" -gt $((4 * LIMIT)) ] || fail "the import was too small to prove anything"
  [ "$(db_sql 'SELECT count(*) FROM users')" = 40000 ] || fail "the import is not in the database"
}

case_many_logins_keep_the_log_bounded() {
  sqlite_only "the size of the SQLite file's -wal"
  setup_story
  mfa users add alice >/dev/null 2>&1
  enroll_user alice
  local i max=0 size
  for i in $(seq 1 400); do
    mfa verify alice 000000 >/dev/null 2>&1
    mfa unlock alice >/dev/null 2>&1
    size=$(wal_size)
    [ "$size" -gt "$max" ] && max=$size
  done
  [ "$max" -le "$LIMIT" ] || fail "the WAL reached $max bytes during 800 commands"
  # The log did fill and get trimmed at least once, so the bound was exercised.
  [ "$(db_sql 'SELECT count(*) FROM audit')" -ge 800 ] || fail "the logins were not written"
}

case_a_reader_holding_a_snapshot_delays_the_trim_only_while_it_holds_it() {
  sqlite_only "the size of the SQLite file's -wal"
  make_csv 20000
  mfa users add first >/dev/null 2>&1
  # A second process holds a read transaction open while the import runs.
  coproc READER { python3 -c '
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN")
db.execute("SELECT count(*) FROM users").fetchone()
print("holding", flush=True)
sys.stdin.readline()
db.execute("COMMIT")' "$MFA_DB"; }
  local line
  read -r line <&"${READER[0]}"
  expect_eq "$line" holding
  mfa users import users.csv >/dev/null 2>&1 || fail "import failed"
  # The reader's snapshot keeps the import's frames in the log for now.
  [ "$(wal_size)" -gt "$LIMIT" ] || fail "the reader did not hold the log"
  echo done >&"${READER[1]}"
  wait "$READER_PID"
  # The next command, with no reader left, trims the log.
  mfa users list --search user0000001 >/dev/null 2>&1 || fail "list failed"
  mfa users add after >/dev/null 2>&1 || fail "add failed"
  expect_small_wal "after the reader let go"
  [ "$(sqlite3 "$MFA_DB" 'PRAGMA integrity_check')" = ok ] || fail "integrity check failed"
}

run_cases
