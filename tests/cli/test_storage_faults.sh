#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Storage and key faults: a damaged, truncated, tampered, read-only, full or
# planted file is exit 6 with one clear line (and the JSON error object),
# never an abort, never a weaker MFA, and never changes the file. On
# PostgreSQL the same faults of stored values are made with psql; those of
# SQLite's file itself are n/a there.
source "$(dirname "$0")/lib.sh"

# A database with settings, an enrolled user and a pending one, with every
# page in the database file itself (the log checkpointed away).
make_story() {
  mfa init >/dev/null 2>&1 || fail "cannot init $MFA_DB"
  setup_story
  mfa users add alice >/dev/null 2>&1 || fail "cannot add alice"
  mfa users add bob >/dev/null 2>&1 || fail "cannot add bob"
  enroll_user alice
  mfa enroll bob >/dev/null 2>&1 || fail "cannot enroll bob"
  checkpoint
}

checkpoint() {
  [ "$MFA_TEST_BACKEND" = sqlite ] || return 0
  sqlite3 "$MFA_DB" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null || fail "cannot checkpoint"
}

page_size() { sqlite3 "$MFA_DB" 'PRAGMA page_size'; }

# root_page TABLE: the page that holds the (small) table.
root_page() { sqlite3 "$MFA_DB" "SELECT rootpage FROM sqlite_master WHERE name = '$1'"; }

# damage FILE OFFSET [COUNT]: writes COUNT (8) bytes of 0xff at OFFSET.
damage() {
  head -c "${3:-8}" /dev/zero | tr '\0' '\377' | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}


# The database's bytes: the file and the length of its log (a command that
# only reads may create an empty log and the -shm index, nothing more). On
# PostgreSQL: every row of the case's schema.
db_bytes() {
  [ "$MFA_TEST_BACKEND" = sqlite ] || { db_fingerprint; return; }
  local db=${1:-$MFA_DB}
  echo "$(sha256sum <"$db") $(stat -c %s "$db-wal" 2>/dev/null || echo 0)"
}

# expect_storage_fault CMD...: under --json, exit 6, the error object on
# stdout and one error line on stderr. Never an abort (134) or a crash.
expect_storage_fault() {
  expect_exit 6 mfa --json "$@"
  expect_eq "$(json 'j["exit"]')" 6
  expect_eq "$(json 'len(j["error"]) > 0')" True
  expect_contains "$ERR" "mfa: error:"
  expect_eq "$(printf '%s\n' "$ERR" | wc -l)" 1
  expect_not_contains "$ERR" "terminate called"
}

# A stored value written past the schema's CHECK constraints, as a flipped
# bit on disk would be. On PostgreSQL the constraints are dropped first, and
# a value the column's type cannot hold (a text in a bigint) returns 1: that
# damage cannot be stored there.
poke() {
  if [ "$MFA_TEST_BACKEND" = sqlite ]; then
    sqlite3 "$MFA_DB" "PRAGMA ignore_check_constraints = 1; $1" || fail "cannot change the database: $1"
    checkpoint
    return 0
  fi
  pg_sql "DO \$\$ DECLARE c record; BEGIN
      FOR c IN SELECT conrelid::regclass AS t, conname FROM pg_constraint
               WHERE contype = 'c' AND connamespace = current_schema()::regnamespace LOOP
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', c.t, c.conname);
      END LOOP; END \$\$" || fail "cannot drop the CHECK constraints"
  pg_sql "$1" 2>poke.err && return 0
  grep -q "invalid input syntax" poke.err && return 1
  fail "cannot change the database: $1: $(cat poke.err)"
}

# secret_hex NAME: the user's sealed secret, in hex.
secret_hex() {
  local hex="hex(secret)"
  [ "$MFA_TEST_BACKEND" = sqlite ] || hex="encode(secret, 'hex')"
  db_sql "SELECT $hex FROM enrollments e JOIN users u ON u.id = e.user_id WHERE name = '$1'"
}

# save_table TABLE / restore_table TABLE: the database as it was before a
# poke of TABLE (SQLite: the whole file; PostgreSQL: the table's rows).
save_table() {
  if [ "$MFA_TEST_BACKEND" = sqlite ]; then
    cp "$MFA_DB" before.db
  else
    pg_sql "DROP TABLE IF EXISTS saved_$1; CREATE TABLE saved_$1 AS SELECT * FROM $1"
  fi
}
restore_table() {
  if [ "$MFA_TEST_BACKEND" = sqlite ]; then
    cp before.db "$MFA_DB"
    rm -f mfa.db-wal mfa.db-shm
  else
    pg_sql "DELETE FROM $1; INSERT INTO $1 SELECT * FROM saved_$1; DROP TABLE saved_$1"
  fi
}

# as_nobody CMD...: runs CMD as the account nobody (the scratch folder and
# its files are given to nobody first).
as_nobody() {
  setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"
}

# mount_tmpfs DIR SIZE [OPTIONS]: a small file system of our own, unmounted
# when the case ends; returns non-zero (the case then skips) when this
# machine does not allow mounting.
mount_tmpfs() {
  mkdir -p "$1"
  mount -t tmpfs -o "size=$2${3:+,$3}" tmpfs "$1" 2>/dev/null || return 1
  MOUNTED="$(cd "$1" && pwd)"
  trap 'cd / && umount "$MOUNTED"' EXIT
}

# (skip, from lib.sh, ends the case as skipped: CTest reports the file so.)

# Cases that give files to another account or mount file systems need root
# (as in CI); elsewhere they skip.
is_root() { [ "$(id -u)" -eq 0 ]; }

# --- item 1: a damaged page is exit 6, never an abort -----------------------

# damaged_page_is_a_fault TABLE COMMAND...: 8 bytes of 0xff at the start of
# the table's page; each command (one per argument) is exit 6 and the file
# stays as it was.
damaged_page_is_a_fault() {
  local table=$1 sum cmd
  shift
  make_story
  damage "$MFA_DB" $((($(root_page "$table") - 1) * $(page_size)))
  sum=$(db_bytes)
  for cmd in "$@"; do
    # shellcheck disable=SC2086
    expect_exit 6 mfa $cmd
    expect_eq "$(printf '%s\n' "$ERR" | wc -l)" 1
    # shellcheck disable=SC2086
    expect_storage_fault $cmd
  done
  expect_eq "$(db_bytes)" "$sum"
}

case_damaged_options_page_is_exit_6_and_untouched() {
  sqlite_only "damaged pages of the SQLite file"
  damaged_page_is_a_fault options "options list" "status alice" "options get internalMFA"
}

case_damaged_users_page_is_exit_6_and_untouched() {
  sqlite_only "damaged pages of the SQLite file"
  damaged_page_is_a_fault users "status alice" "users list" "verify alice 123456"
}

case_damage_anywhere_in_any_page_never_crashes_nor_changes_the_file() {
  sqlite_only "damaged pages of the SQLite file"
  make_story
  cp "$MFA_DB" pristine.db
  local pages page at cmd
  pages=$(($(stat -c %s "$MFA_DB") / $(page_size)))
  for page in $(seq 2 "$pages"); do
    for at in 0 $(($(page_size) / 2)); do
      cp pristine.db "$MFA_DB"
      rm -f mfa.db-wal mfa.db-shm
      damage "$MFA_DB" $(((page - 1) * $(page_size) + at))
      local sum rc
      sum=$(db_bytes)
      # Between them they read every table (status reads the settings).
      for cmd in "status alice" "audit"; do
        # shellcheck disable=SC2086
        "$MFA_BIN" --json $cmd >out 2>err
        rc=$?
        case $rc in
          0) ;;
          6) OUT=$(cat out) && expect_eq "$(json 'j["exit"]')" 6 ;;
          *) fail "page $page offset $at: '$cmd' exited $rc: $(cat err)" ;;
        esac
      done
      expect_eq "$(db_bytes)" "$sum"
    done
  done
}

# --- item 12: stored values are read strictly --------------------------------

case_unknown_enrollment_state_is_a_fault_not_not_enrolled() {
  make_story
  local secret
  secret=$(secret_hex alice)
  poke "UPDATE enrollments SET state = 'activg' WHERE user_id = (SELECT id FROM users WHERE name = 'alice')"
  expect_storage_fault status alice
  expect_contains "$ERR" "damaged"
  expect_contains "$ERR" "state"
  expect_storage_fault enroll alice
  expect_storage_fault users list
  expect_eq "$(secret_hex alice)" "$secret"
}

case_unknown_user_type_or_auth_is_a_fault_not_internal_or_password() {
  make_story
  poke "UPDATE users SET type = 'externam' WHERE name = 'alice'"
  expect_storage_fault status alice
  expect_contains "$ERR" "users.type"
  poke "UPDATE users SET type = 'internal', auth = 'ssn' WHERE name = 'alice'"
  expect_storage_fault status alice
  expect_contains "$ERR" "users.auth"
  poke "UPDATE users SET auth = 'password' WHERE name = 'alice'"
  if poke "UPDATE users SET failed_attempts = 'x' WHERE name = 'alice'"; then
    expect_storage_fault verify alice 000000
  fi
  poke "UPDATE users SET failed_attempts = -1 WHERE name = 'alice'"
  expect_storage_fault verify alice 000000
  poke "UPDATE users SET failed_attempts = 0 WHERE name = 'alice'"
  if poke "UPDATE users SET locked_until = 'soon' WHERE name = 'alice'"; then
    expect_storage_fault status alice
  fi
}

case_unknown_enrollment_parameters_are_a_fault() {
  make_story
  local where="user_id = (SELECT id FROM users WHERE name = 'alice')" change
  for change in "algorithm = 'SHA2'" "algorithm = 'sha1'" "digits = 7" "digits = 9" "digits = 6.5" \
    "period = 0" "period = 301" "last_step = 'x'" "secret = 'text'"; do
    save_table enrollments
    if poke "UPDATE enrollments SET $change WHERE $where"; then
      expect_storage_fault verify alice "$(code_for "$SECRET")"
      # (A bytea column turns the text into bytes: there it is a sealed
      # secret of unknown format, not a cell of the wrong type.)
      [ "$MFA_TEST_BACKEND:$change" = "postgres:secret = 'text'" ] || expect_contains "$ERR" "enrollments."
    fi
    restore_table enrollments
  done
  expect_exit 0 mfa status alice
}

case_unknown_option_values_are_a_fault_not_a_default() {
  make_story
  local change
  for change in "value = 'Ofg' WHERE key = 'externalMFA'" "value = 'on (required)' WHERE key = 'internalMFA'" \
    "value = ' On (Required)' WHERE key = 'internalMFA'" "key = 'internalMFa' WHERE key = 'internalMFA'" \
    "key = 'internalMFB' WHERE key = 'internalMFA'" "value = 6 WHERE key = 'internalMFA'"; do
    save_table options
    poke "UPDATE options SET $change" || fail "cannot store: $change"
    expect_storage_fault status alice
    expect_contains "$ERR" "options."
    restore_table options
  done
  expect_exit 0 mfa options list
}

case_a_database_without_its_data_key_is_a_fault_and_no_new_key_is_made() {
  make_story
  mv mfa.key saved.key
  db_sql "DELETE FROM meta WHERE key = 'data_key'"
  checkpoint
  local sum
  sum=$(db_bytes)
  expect_storage_fault options list
  expect_contains "$ERR" "it has no data key"
  [ ! -e mfa.key ] || fail "a new key was made for a database that has secrets"
  expect_eq "$(db_bytes)" "$sum"
}

# --- tampering ----------------------------------------------------------------

case_a_tampered_or_moved_sealed_secret_never_verifies() {
  make_story
  local code sum
  code=$(code_for "$SECRET")
  # One flipped bit in alice's sealed secret.
  if [ "$MFA_TEST_BACKEND" = postgres ]; then
    pg_sql "UPDATE enrollments SET secret = set_byte(secret, 20, get_byte(secret, 20) # 4)
            WHERE user_id = (SELECT id FROM users WHERE name = 'alice')"
  else
    python3 - "$MFA_DB" <<'EOF' || fail "cannot flip a bit"
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
row = db.execute("SELECT e.user_id, e.secret FROM enrollments e JOIN users u ON u.id = e.user_id WHERE u.name = 'alice'").fetchone()
secret = bytearray(row[1]); secret[20] ^= 0x04
db.execute("UPDATE enrollments SET secret = ? WHERE user_id = ?", (bytes(secret), row[0]))
db.commit()
EOF
  fi
  checkpoint
  sum=$(db_bytes)
  expect_storage_fault verify alice "$code"
  expect_contains "$ERR" "does not open"
  expect_eq "$(db_sql "SELECT failed_attempts FROM users WHERE name = 'alice'")" 0

  # Bob's (valid) sealed secret copied into alice's row.
  mfa users add carol >/dev/null 2>&1
  enroll_user carol
  local carol_secret=$SECRET
  db_sql "UPDATE enrollments SET secret = (SELECT secret FROM enrollments e JOIN users u ON u.id = e.user_id WHERE u.name = 'carol') WHERE user_id = (SELECT id FROM users WHERE name = 'alice')"
  checkpoint
  expect_storage_fault verify alice "$(code_for "$carol_secret")"
  expect_contains "$ERR" "does not open"
  expect_exit 0 mfa verify carol "$(code_for "$carol_secret")"
}

case_another_valid_key_file_is_exit_6_and_changes_nothing() {
  make_story
  mfa --db "$PWD/other.db" --key-file "$PWD/other.key" init >/dev/null || fail "cannot make another key"
  local sum
  sum=$(db_bytes)
  expect_storage_fault --key-file "$PWD/other.key" verify alice "$(code_for "$SECRET")"
  expect_contains "$ERR" "does not belong"
  expect_storage_fault --key-file "$PWD/other.key" users add dave
  expect_eq "$(db_bytes)" "$sum"
}

# --- item 13: read-only, and the key never in a core file ---------------------

case_read_only_database_right_and_wrong_code_look_the_same() {
  local code sum right wrong
  if [ "$MFA_TEST_BACKEND" = postgres ]; then
    # Sessions that may not write, as on a standby server.
    make_story
    code=$(code_for "$SECRET")
    sum=$(db_bytes)
    export MFA_DB=$(pg_read_only_uri)
  else
    is_root || { skip "needs root"; return 0; }
    make_story
    code=$(code_for "$SECRET")
    mount_tmpfs ro 2m || { skip "cannot mount a tmpfs here"; return 0; }
    cp mfa.db* mfa.key ro/
    mount -o remount,ro "$MOUNTED" || { skip "cannot remount read-only"; return 0; }
    sum=$(db_bytes ro/mfa.db)
    export MFA_DB="$PWD/ro/mfa.db"
  fi
  expect_storage_fault verify alice "$code"
  right=$ERR
  expect_storage_fault verify alice 000000
  wrong=$ERR
  expect_eq "$right" "$wrong"
  expect_contains "$right" "read-only"
  # (Whether PostgreSQL refuses reads too: test_global's read_only_database_is_exit_6.)
  [ "$MFA_TEST_BACKEND" != sqlite ] || expect_storage_fault options list
  expect_eq "$(db_bytes)" "$sum"
}

case_read_only_file_as_its_owner_is_exit_6_for_right_and_wrong_code() {
  sqlite_only "a read-only SQLite file"
  is_root || { skip "needs root"; return 0; }
  command -v setpriv >/dev/null || { skip "no setpriv"; return 0; }
  make_story
  local code right wrong sum
  code=$(code_for "$SECRET")
  chmod 755 "$PWD"
  chmod 400 mfa.db
  chown nobody mfa.db* mfa.key
  sum=$(db_bytes)
  as_nobody "$MFA_BIN" verify alice "$code" >out 2>err
  expect_eq "$?" 6
  right=$(cat err)
  as_nobody "$MFA_BIN" verify alice 000000 >out 2>err
  expect_eq "$?" 6
  wrong=$(cat err)
  expect_eq "$right" "$wrong"
  expect_eq "$(db_bytes)" "$sum"
}

case_read_only_folder_without_the_log_files_is_exit_6_and_says_so() {
  sqlite_only "the SQLite file's folder, read-only, without its -wal and -shm"
  is_root || { skip "needs root"; return 0; }
  command -v setpriv >/dev/null || { skip "no setpriv"; return 0; }
  make_story
  rm -f mfa.db-wal mfa.db-shm
  chown nobody mfa.db mfa.key
  chmod 555 "$PWD"
  local sum
  sum=$(db_bytes)
  as_nobody "$MFA_BIN" --json status alice >out 2>err
  expect_eq "$?" 6
  expect_contains "$(cat err)" "its folder is"
  OUT=$(cat out)
  expect_eq "$(json 'j["exit"]')" 6
  chmod 755 "$PWD"
  expect_eq "$(db_bytes)" "$sum"
}

case_the_process_never_dumps_core() {
  command -v prlimit >/dev/null || { skip "no prlimit"; return 0; }
  make_story
  mkfifo rows.csv
  ulimit -c unlimited 2>/dev/null || ulimit -c 1024
  # It opens the FIFO after start-up; opening the other end waits for that.
  "$MFA_BIN" users import rows.csv >/dev/null 2>&1 &
  local pid=$! limit
  exec 3>rows.csv
  limit=$(prlimit --pid "$pid" --core --noheadings --output SOFT,HARD | tr -s ' ' | sed 's/^ //')
  exec 3>&-
  wait "$pid"
  expect_eq "$limit" "0 0"
}

# --- item 14: planted files are refused --------------------------------------

# A folder anyone may write to, holding the database.
use_shared_folder() {
  mkdir shared && chmod 1777 shared
  export MFA_DB="$PWD/shared/mfa.db"
}

case_planted_empty_database_is_refused() {
  sqlite_only "a SQLite file planted by another account"
  is_root || { skip "needs root"; return 0; }
  use_shared_folder
  : >shared/mfa.db
  chown nobody shared/mfa.db
  expect_storage_fault init
  expect_contains "$ERR" "$PWD/shared/mfa.db"
  expect_contains "$ERR" "nobody"
  [ ! -e shared/mfa.key ] || fail "a key was made beside a planted database"
  expect_eq "$(stat -c %s shared/mfa.db)" 0
}

case_planted_key_file_is_refused() {
  is_root || { skip "needs root"; return 0; }
  local uri=$MFA_DB
  use_shared_folder
  if [ "$MFA_TEST_BACKEND" = postgres ]; then
    # The key stays a local file: named, in a folder anyone may write. The
    # database is the case's schema, made anew.
    export MFA_DB=$uri MFA_KEY_FILE="$PWD/shared/mfa.key"
    drop_schemas "${MFA_DB##*%3D}"
  fi
  printf '%064d\n' 0 >shared/mfa.key
  chmod 600 shared/mfa.key
  chown nobody shared/mfa.key
  expect_storage_fault init
  expect_contains "$ERR" "key file $PWD/shared/mfa.key"
  expect_contains "$ERR" "nobody"
  [ ! -e shared/mfa.db ] || fail "a database was made with a planted key"
  [ "$MFA_TEST_BACKEND" = sqlite ] \
    || expect_eq "$(pg_sql "SELECT count(*) FROM pg_namespace WHERE nspname = '${MFA_DB##*%3D}'")" 0
  # Also beside an existing database.
  rm shared/mfa.key
  expect_exit 0 mfa init
  mfa users add alice >/dev/null 2>&1
  chown nobody shared/mfa.key
  expect_storage_fault status alice
  expect_contains "$ERR" "nobody"
}

case_planted_database_and_log_files_are_refused() {
  sqlite_only "a SQLite file and -wal planted by another account"
  is_root || { skip "needs root"; return 0; }
  make_story
  cp mfa.db saved.db
  chown nobody mfa.db
  expect_storage_fault options list
  expect_contains "$ERR" "database $PWD/mfa.db belongs to nobody"
  chown root mfa.db
  rm -f mfa.db-wal mfa.db-shm
  cp saved.db mfa.db-wal
  chown nobody mfa.db-wal
  expect_storage_fault options list
  expect_contains "$ERR" "mfa.db-wal belongs to nobody"
}

# --- files ---------------------------------------------------------------------

case_symbolic_links_at_the_database_or_key_are_refused() {
  make_story
  local sum
  if [ "$MFA_TEST_BACKEND" = sqlite ]; then # (PostgreSQL: only the key is a file)
    mv mfa.db real.db
    ln -s real.db mfa.db
    sum=$(db_bytes real.db)
    expect_storage_fault options list
    expect_contains "$ERR" "symbolic link"
    expect_eq "$(db_bytes real.db)" "$sum"
    rm mfa.db && mv real.db mfa.db
  fi
  mv mfa.key real.key
  ln -s real.key mfa.key
  expect_storage_fault options list
  expect_contains "$ERR" "key file $PWD/mfa.key is a symbolic link"
  # A dangling link is not a missing database to create.
  rm -f mfa.key && mv real.key mfa.key
  ln -s nowhere.db link.db
  expect_storage_fault --db "$PWD/link.db" init
  [ ! -e nowhere.db ] || fail "a database was made through a link"
}

case_database_open_to_others_is_refused() {
  sqlite_only "the SQLite file's mode"
  make_story
  chmod 604 mfa.db
  expect_storage_fault options list
  expect_contains "$ERR" "chmod 600 $PWD/mfa.db"
  chmod 600 mfa.db*
  expect_exit 0 mfa options list
  # Open to its group (as mfa init --group would share it) is not refused.
  chmod 660 mfa.db*
  expect_exit 0 mfa options list
}

case_permissive_umask_still_makes_private_files() {
  umask 000
  make_story
  local f
  # (On PostgreSQL there is only the key.)
  for f in mfa.db* mfa.key; do
    [ "$MFA_TEST_BACKEND" = sqlite ] || [ -e "$f" ] || continue
    expect_eq "$(file_mode "$f")" 600
  done
}

case_full_disk_never_reports_a_write_that_did_not_happen() {
  sqlite_only "a full file system under the SQLite file"
  is_root || { skip "needs root"; return 0; }
  mount_tmpfs small 300k || { skip "cannot mount a tmpfs here"; return 0; }
  export MFA_DB="$PWD/small/mfa.db"
  make_story
  python3 -c '
print("name,type,auth,email")
for i in range(300):
    print(f"user{i:05d},internal,password,user{i:05d}@example.com")' >big.csv
  local before i rc
  before=$(db_state)
  # Once with the log and its index in place (a write that needs more log),
  # once without them (a command that cannot even make its index).
  mfa options list >/dev/null || fail "options list failed"
  head -c 1M /dev/zero >small/fill 2>/dev/null
  expect_storage_fault users import big.csv
  expect_contains "$ERR" "disk is full"
  # Small writes: each either done or exit 6, never exit 0 for nothing.
  for i in 1 2 3 4 5 6 7 8; do
    "$MFA_BIN" users add "small$i" >/dev/null 2>&1
    echo "small$i $?" >>small-writes
  done
  # A new database on the full disk: exit 6 and no file left behind.
  expect_storage_fault --db "$PWD/small/new.db" init
  expect_eq "$(cd small && ls | grep -c '^new')" 0
  rm small/fill

  expect_eq "$(sqlite3 "$MFA_DB" 'PRAGMA integrity_check')" ok
  while read -r name rc; do
    case $rc in
      0) expect_eq "$(db_sql "SELECT count(*) FROM users WHERE name = '$name'")" 1 ;;
      6) expect_eq "$(db_sql "SELECT count(*) FROM users WHERE name = '$name'")" 0 ;;
      *) fail "users add on a full disk exited $rc" ;;
    esac
  done <small-writes
  sqlite3 "$MFA_DB" "DELETE FROM users WHERE name LIKE 'small%'; DELETE FROM audit WHERE target LIKE 'small%'"
  expect_eq "$(db_state)" "$before"
  checkpoint
  head -c 1M /dev/zero >small/fill 2>/dev/null
  expect_storage_fault users import big.csv
  expect_contains "$ERR" "disk is full"
  rm small/fill
  expect_eq "$(db_state)" "$before"
  expect_exit 0 mfa status alice
}

NO_INIT="processes_creating_the_same_database_at_once_all_succeed empty_file_or_folder_is_not_a_database"
case_processes_creating_the_same_database_at_once_all_succeed() {
  local i
  for i in 1 2 3 4 5 6 7 8; do
    ("$MFA_BIN" --json init >"init.$i" 2>&1; echo $? >"rc.$i") &
  done
  wait
  expect_eq "$(cat rc.* | sort -u)" 0
  expect_eq "$(cat init.* | grep -c '"database_created":true')" 1
  expect_eq "$(cat init.* | grep -c '"key_file_created":true')" 1
  expect_exit 0 mfa options list
  expect_eq "$(ls | grep -c '\.new\.')" 0
}

# --- corrupt databases ---------------------------------------------------------

case_truncated_databases_are_exit_6_and_untouched() {
  sqlite_only "a truncated SQLite file"
  make_story
  cp "$MFA_DB" whole.db
  local size length sum
  size=$(stat -c %s whole.db)
  for length in 1 100 4096 $((size / 2)) $((size - 4096)); do
    head -c "$length" whole.db >"$MFA_DB"
    rm -f mfa.db-wal mfa.db-shm
    sum=$(db_bytes)
    expect_storage_fault status alice
    expect_eq "$(db_bytes)" "$sum"
  done
}

case_empty_file_or_folder_is_not_a_database() {
  sqlite_only "an empty file or a folder at the SQLite path"
  : >"$MFA_DB"
  chmod 600 "$MFA_DB"
  expect_storage_fault init
  expect_contains "$ERR" "empty"
  expect_eq "$(stat -c %s "$MFA_DB")" 0
  [ ! -e mfa.key ] || fail "a key was made for an empty file"
  rm "$MFA_DB" && mkdir "$MFA_DB"
  expect_storage_fault init
  expect_storage_fault options list
}

case_future_or_negative_schema_version_is_exit_6_and_untouched() {
  make_story
  set_schema_version 99
  local sum
  sum=$(db_bytes)
  expect_storage_fault verify alice "$(code_for "$SECRET")"
  expect_contains "$ERR" "newer"
  expect_eq "$(db_bytes)" "$sum"
  set_schema_version -1
  sum=$(db_bytes)
  expect_storage_fault options list
  expect_contains "$ERR" "damaged"
  expect_eq "$(db_bytes)" "$sum"
}

run_cases
