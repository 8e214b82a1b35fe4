#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# mfa key rotate --new-key-file PATH / --data: confirmed, audited, one
# transaction; killed with SIGKILL at every write it makes, the database
# opens with exactly one of the two key files and every secret opens. Both
# backends.
source "$(dirname "$0")/lib.sh"

# sealed_numbers: the data key numbers the sealed secrets record, each once.
sealed_numbers() {
  if [ "$MFA_TEST_BACKEND" = sqlite ]; then
    sqlite3 "$MFA_DB" "SELECT DISTINCT hex(substr(secret, 2, 4)) FROM enrollments" | while read -r hex; do echo $((16#$hex)); done
  else
    pg_sql "SELECT DISTINCT encode(substr(secret, 2, 4), 'hex') FROM enrollments" | while read -r hex; do echo $((16#$hex)); done
  fi
}


audit_of_rotations() { db_sql "SELECT target, old_value, new_value, reason FROM audit WHERE action = 'key.rotate' ORDER BY id"; }

# many_enrollments N: N more users (u1..uN), active through an otpauth import.
many_enrollments() {
  python3 - "$1" >users.csv <<'EOF'
import sys
print("name")
for i in range(1, int(sys.argv[1]) + 1):
    print(f"u{i}")
EOF
  mfa users import users.csv >/dev/null 2>&1 || fail "users import"
  (umask 077 && python3 - "$1" >enrollments.txt) <<'EOF'
import base64, os, sys
for i in range(1, int(sys.argv[1]) + 1):
    secret = base64.b32encode(os.urandom(20)).decode().rstrip("=")
    print(f"u{i} otpauth://totp/Acme:u{i}?secret={secret}&issuer=Acme")
EOF
  (umask 077 && mfa enroll --import otpauth enrollments.txt >/dev/null 2>&1) || fail "enroll --import"
}

case_new_key_file_is_made_0600_and_only_it_opens_the_database() {
  three_enrollments
  local old
  old=$(the_key_file)
  expect_exit 0 mfa -y key rotate --new-key-file "$PWD/keys/new.key"
  expect_contains "$ERR" "Created $PWD/keys/new.key"
  expect_eq "$(stat -c %a "$PWD/keys/new.key")" 600
  expect_eq "$(stat -c %a "$PWD/keys")" 700
  grep -qE '^[0-9a-f]{64}$' "$PWD/keys/new.key" || fail "the new key file is not 64 hexadecimal digits"
  # One row: the data key, wrapped under the new file; the same data key.
  expect_eq "$(db_sql "SELECT count(*) FROM meta")" 1
  expect_eq "$(data_key_number)" 1
  expect_exit 6 mfa --key-file "$old" key check
  expect_contains "$ERR" "does not belong to database"
  expect_exit 0 mfa --key-file "$PWD/keys/new.key" --json key check
  expect_eq "$(json 'j')" "{'checked': 3, 'failed': []}"
  expect_exit 0 mfa --key-file "$PWD/keys/new.key" verify alice "$(code_for "$ALICE")"
  expect_eq "$(audit_of_rotations)" "key file|$old|$PWD/keys/new.key|data key 1 wrapped under a new key file"
  # The key is never in the audit log.
  if db_sql "SELECT * FROM audit" | grep -qi "$(cat "$PWD/keys/new.key")"; then fail "the key is in the audit log"; fi
}

case_an_existing_key_file_is_used_as_it_is_and_json_says_so() {
  three_enrollments
  (umask 077 && printf '%064x\n' 42 >given.key)
  local before
  before=$(cat given.key)
  expect_exit 0 mfa -y --json key rotate --new-key-file "$PWD/given.key"
  expect_eq "$(json '(j["key_file"], j["key_file_created"], j["data_key"], j["resealed"])')" \
    "('$PWD/given.key', False, 1, 0)"
  expect_eq "$(cat given.key)" "$before"
  expect_exit 0 mfa --key-file "$PWD/given.key" verify bob "$(code_for "$BOB")"
}

case_rotation_asks_first_and_changes_nothing_unconfirmed() {
  three_enrollments
  local before
  before=$(db_state)
  expect_exit 2 mfa key rotate --new-key-file "$PWD/new.key"
  expect_contains "$ERR" "--yes"
  expect_exit 2 mfa key rotate --data
  [ ! -e new.key ] || fail "a key file was made before the confirmation"
  expect_eq "$(db_state)" "$before"
  # Answered no on a terminal: exit 1, nothing changed.
  expect_exit 1 python3 "$MFA_TEST_TOOLS/pty_run.py" --input $'n\n' -- "$MFA_BIN" key rotate --data
  expect_eq "$(db_state)" "$before"
}

case_bad_requests_are_refused_and_change_nothing() {
  three_enrollments
  local before
  before=$(db_state)
  expect_exit 2 mfa -y key rotate
  expect_contains "$ERR" "--new-key-file PATH or --data"
  expect_exit 2 mfa -y key rotate --data --new-key-file "$PWD/x.key"
  expect_exit 2 mfa -y key rotate --new-key-file "$(the_key_file)"
  expect_contains "$ERR" "is the one in use"
  cp "$(the_key_file)" same.key
  expect_exit 2 mfa -y key rotate --new-key-file "$PWD/same.key"
  expect_contains "$ERR" "holds the key in use"
  (umask 022 && printf '%064x\n' 7 >open.key)
  expect_exit 6 mfa -y key rotate --new-key-file "$PWD/open.key"
  expect_contains "$ERR" "open to others"
  expect_eq "$(db_state)" "$before"
  expect_exit 0 mfa key check
}

case_data_rotation_seals_every_secret_under_a_new_data_key() {
  three_enrollments
  local secrets_before
  secrets_before=$(db_sql "SELECT hex(secret) FROM enrollments ORDER BY user_id" 2>/dev/null \
    || db_sql "SELECT encode(secret, 'hex') FROM enrollments ORDER BY user_id")
  expect_exit 0 mfa -y --json key rotate --data
  expect_eq "$(json '(j["key_file"], j["data_key"], j["resealed"])')" "('$(the_key_file)', 2, 3)"
  expect_eq "$(data_key_number)" 2
  expect_eq "$(sealed_numbers)" 2
  local secrets_after
  secrets_after=$(db_sql "SELECT hex(secret) FROM enrollments ORDER BY user_id" 2>/dev/null \
    || db_sql "SELECT encode(secret, 'hex') FROM enrollments ORDER BY user_id")
  [ "$secrets_before" != "$secrets_after" ] || fail "the sealed secrets did not change"
  expect_exit 0 mfa --json key check
  expect_eq "$(json 'j')" "{'checked': 3, 'failed': []}"
  expect_exit 0 mfa verify alice "$(code_for "$ALICE")"
  expect_exit 0 mfa verify bob "$(code_for "$BOB")"
  expect_eq "$(audit_of_rotations)" "data key|data key 1|data key 2|3 secrets sealed again"
  # Again: 3.
  expect_exit 0 mfa -y key rotate --data
  expect_eq "$(data_key_number)" 3
}

case_data_rotation_with_a_secret_that_does_not_open_changes_nothing() {
  three_enrollments
  flip_byte bob
  local before
  before=$(db_state)
  expect_exit 6 mfa -y key rotate --data
  expect_contains "$ERR" "bob"
  expect_contains "$ERR" "nothing was changed"
  expect_eq "$(db_state)" "$before"
  expect_exit 6 mfa --json -y key rotate --data
  expect_eq "$(json 'j["exit"]')" 6
}

# kill_at_every_write COMMAND...: runs COMMAND under strace once to count
# the writes it makes (each kind apart: file writes and syncs, links, and
# what it sends to PostgreSQL), then again and again, killed with SIGKILL at
# one of them each time: every one of a kind when it makes a dozen or fewer,
# else the first four, eight spread between and the last four. After each
# kill, check_after_kill decides whether the state is a whole one.
kill_at_every_write() {
  command -v strace >/dev/null || skip "strace is not installed (Debian's strace)"
  strace -f -o /dev/null true 2>/dev/null || skip "strace cannot trace here (ptrace is not allowed)"
  local calls="pwrite64,write,fsync,fdatasync,link,sendto" call count k points
  save_state
  local counts
  counts=$(strace -qq -f -c -e trace=$calls "$@" 2>&1 >/dev/null \
    | awk '$NF ~ /^(pwrite64|write|fsync|fdatasync|link|sendto)$/ {print $NF "=" $4}')
  restore_state
  [ -n "$counts" ] || fail "strace counted no writes"
  KILLS=0
  for entry in $counts; do
    call=${entry%=*}
    count=${entry#*=}
    if [ "$count" -le 12 ]; then
      points=$(seq 1 "$count")
    else
      points=$( (seq 1 4; for i in 1 2 3 4 5 6 7 8; do echo $((4 + i * (count - 8) / 9)); done; seq $((count - 3)) "$count") | sort -nu)
    fi
    for k in $points; do
      strace -qq -f -o /dev/null -e trace=$call -e inject=$call:signal=SIGKILL:when=$k "$@" >/dev/null 2>&1 || true
      KILLS=$((KILLS + 1))
      check_after_kill "$call $k of $count"
      restore_state
    done
  done
}

# save_state / restore_state: the database and key files as they are now.
save_state() {
  rm -rf saved && mkdir saved
  cp -p "$(the_key_file)" saved/key
  if [ "$MFA_TEST_BACKEND" = sqlite ]; then
    (umask 077 && sqlite3 "$MFA_DB" ".backup saved/db") || fail "cannot save the database"
  else
    pg_sql "DROP SCHEMA IF EXISTS ${MFA_DB##*%3D}_saved CASCADE" >/dev/null 2>&1
    mfa db copy --to "$(pg_uri "${MFA_DB##*%3D}_saved")" >/dev/null 2>&1 || fail "cannot save the database"
  fi
}

restore_state() {
  rm -f new.key
  cp -p saved/key "$(the_key_file)"
  if [ "$MFA_TEST_BACKEND" = sqlite ]; then
    rm -f "$MFA_DB-wal" "$MFA_DB-shm"
    cp -p saved/db "$MFA_DB"
  else
    pg_sql "DROP SCHEMA ${MFA_DB##*%3D} CASCADE" >/dev/null
    mfa --db "$(pg_uri "${MFA_DB##*%3D}_saved")" db copy --to "$MFA_DB" >/dev/null 2>&1 || fail "cannot restore the database"
  fi
}

# Enough users that a rotation makes many writes; fewer on PostgreSQL, where
# each is a round trip and every kill restores the schema with db copy.
many_for_backend() { if [ "$MFA_TEST_BACKEND" = sqlite ]; then echo 200; else echo 40; fi; }

opens_with() { "$MFA_BIN" --key-file "$1" key check >/dev/null 2>&1; }

case_a_key_file_rotation_killed_at_any_write_leaves_one_key_file_in_use() {
  three_enrollments
  many_enrollments "$(many_for_backend)"
  local old
  old=$(the_key_file)
  NEW_STATES=0
  check_after_kill() {
    local with_old=0 with_new=0
    ! opens_with "$old" || with_old=1
    [ ! -e new.key ] || ! opens_with "$PWD/new.key" || with_new=1
    [ $((with_old + with_new)) -eq 1 ] || fail "killed at $1: the old key file opens: $with_old, the new: $with_new"
    [ "$with_new" = 0 ] || [ "$(stat -c %a new.key)" = 600 ] || fail "killed at $1: new.key is not 0600"
    NEW_STATES=$((NEW_STATES + with_new))
  }
  kill_at_every_write "$MFA_BIN" -y key rotate --new-key-file "$PWD/new.key"
  echo "killed $KILLS times; $NEW_STATES left the new key file in use" >&2
  [ "$KILLS" -ge 3 ] || fail "only $KILLS kills"
  # The old state was seen (killed early); and the last run, past every
  # write, is the new state.
  [ "$NEW_STATES" -lt "$KILLS" ] || fail "no kill left the old key file in use"
  [ "$NEW_STATES" -ge 1 ] || fail "no run reached the new key file"
  # Whatever state it is in, logins work with the key file in use.
  expect_exit 0 mfa verify alice "$(code_for "$ALICE")"
}

case_a_data_key_rotation_killed_at_any_write_leaves_every_secret_under_one_data_key() {
  three_enrollments
  many_enrollments "$(many_for_backend)"
  ROTATED=0
  check_after_kill() {
    local number sealed
    number=$(data_key_number)
    sealed=$(sealed_numbers)
    [ "$number" = 1 ] || [ "$number" = 2 ] || fail "killed at $1: data key $number"
    [ "$sealed" = "$number" ] || fail "killed at $1: the data key is $number, the secrets record: $sealed"
    opens_with "$(the_key_file)" || fail "killed at $1: a secret does not open"
    [ "$number" = 1 ] || ROTATED=$((ROTATED + 1))
  }
  kill_at_every_write "$MFA_BIN" -y key rotate --data
  echo "killed $KILLS times; $ROTATED left the new data key" >&2
  [ "$ROTATED" -lt "$KILLS" ] || fail "no kill left the old data key"
  [ "$ROTATED" -ge 1 ] || fail "no run reached the new data key"
  expect_exit 0 mfa verify bob "$(code_for "$BOB")"
}

run_cases
