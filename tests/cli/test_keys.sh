#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# mfa key check: every sealed secret opens with the key file, or the users
# whose secret does not are named (exit 6), on both backends.
source "$(dirname "$0")/lib.sh"

# copy_secret FROM TO: FROM's sealed secret put in TO's row.
copy_secret() {
  db_sql "UPDATE enrollments SET secret = (SELECT e.secret FROM enrollments e JOIN users u ON u.id = e.user_id
    WHERE u.name = '$1') WHERE user_id = (SELECT id FROM users WHERE name = '$2')" >/dev/null \
    || fail "cannot move $1's secret to $2"
}

audit_rows() { db_sql "SELECT count(*) FROM audit"; }

case_every_secret_opens_exit_0_and_nothing_changes() {
  three_enrollments
  local before rows
  before=$(db_state)
  rows=$(audit_rows)
  expect_exit 0 mfa key check
  expect_contains "$OUT" "Checked 3 sealed secrets: every one opens with"
  expect_exit 0 mfa --json key check
  expect_eq "$(json 'j')" "{'checked': 3, 'failed': []}"
  expect_eq "$(db_state)" "$before"
  expect_eq "$(audit_rows)" "$rows"
}

case_no_enrollment_is_nothing_to_check() {
  expect_exit 0 mfa --json key check
  expect_eq "$(json 'j')" "{'checked': 0, 'failed': []}"
}

case_a_flipped_byte_names_its_user_and_exits_6() {
  three_enrollments
  flip_byte alice
  expect_exit 6 mfa key check
  expect_eq "$OUT" "alice"
  expect_contains "$ERR" "1 of 3 sealed secrets does not open"
  expect_contains "$ERR" "alice"
  expect_exit 6 mfa --json key check
  expect_eq "$(json '(j["checked"], j["failed"], j["exit"])')" "(3, ['alice'], 6)"
  expect_contains "$(json 'j["error"]')" "alice"
  # The others still open, and log in.
  expect_exit 0 mfa verify bob "$(code_for "$BOB")"
}

case_a_secret_moved_to_another_users_row_does_not_open_there() {
  three_enrollments
  copy_secret bob alice
  expect_exit 6 mfa --json key check
  expect_eq "$(json 'j["failed"]')" "['alice']"
  copy_secret pat bob # a swap: now bob's row holds pat's secret too
  expect_exit 6 mfa key check
  expect_eq "$OUT" $'alice\nbob'
  expect_contains "$ERR" "2 of 3 sealed secrets do not open"
  # After a reset and a new enrollment, the check passes again.
  expect_exit 0 mfa -y reset alice
  expect_exit 0 mfa -y reset bob
  expect_exit 0 mfa --json key check
  expect_eq "$(json 'j')" "{'checked': 1, 'failed': []}"
}

case_another_databases_key_is_refused_before_any_check() {
  three_enrollments
  env -u MFA_KEY_FILE "$MFA_BIN" --db "$PWD/other/mfa.db" init >/dev/null || fail "init of the other database"
  expect_exit 6 mfa --key-file "$PWD/other/mfa.key" key check
  expect_contains "$ERR" "key"
  expect_eq "$OUT" ""
}

# --- two-level keys, and the migration to them -----------------------------

FIXTURES="$(dirname "$0")/fixtures"

# restore_schema4: the database and key file an mfa of schema 4 (before
# two-level keys) made, in place of the case's own (tests/cli/fixtures/
# make-schema4.sh made them): alice and bob active, pat pending, carol SSO.
# Sets ALICE, BOB (their secrets) and ALICE_CODES, BOB_CODES (backup codes).
restore_schema4() {
  # shellcheck disable=SC1091
  source "$FIXTURES/schema4.env"
  (umask 077 && echo "$KEY" >"$(the_key_file)")
  if [ "$MFA_TEST_BACKEND" = sqlite ]; then
    rm -f "$MFA_DB" "$MFA_DB-wal" "$MFA_DB-shm"
    (umask 077 && sqlite3 "$MFA_DB" <"$FIXTURES/schema4.sql" >/dev/null) || fail "cannot restore the schema 4 database"
    expect_eq "$(sqlite3 "$MFA_DB" "PRAGMA journal_mode")" wal
    ALICE=$ALICE_SECRET BOB=$BOB_SECRET ALICE_CODES=$ALICE_BACKUP_CODES BOB_CODES=$BOB_BACKUP_CODES
  else
    pg_sql "CREATE SCHEMA ${MFA_DB##*%3D}" >/dev/null
    "$PSQL" -X -q -v ON_ERROR_STOP=1 "$MFA_DB" -f "$FIXTURES/schema4.pg.sql" >/dev/null \
      || fail "cannot restore the schema 4 database"
    ALICE=$PG_ALICE_SECRET BOB=$PG_BOB_SECRET ALICE_CODES=$PG_ALICE_BACKUP_CODES BOB_CODES=$PG_BOB_BACKUP_CODES
  fi
  expect_eq "$(schema_number)" 4
}

schema_number() {
  if [ "$MFA_TEST_BACKEND" = sqlite ]; then
    sqlite3 "$MFA_DB" "PRAGMA user_version"
  else
    pg_sql "SELECT version FROM mfa_schema"
  fi
}

# secret_versions: the first byte of every sealed secret (the format), in
# the order of the users' ids.
secret_versions() {
  if [ "$MFA_TEST_BACKEND" = sqlite ]; then
    sqlite3 "$MFA_DB" "SELECT hex(substr(secret, 1, 1)) FROM enrollments ORDER BY user_id" | tr '\n' ' '
  else
    pg_sql "SELECT upper(encode(substr(secret, 1, 1), 'hex')) FROM enrollments ORDER BY user_id" | tr '\n' ' '
  fi
}

meta_keys() { db_sql "SELECT key FROM meta ORDER BY key" | tr '\n' ' '; }

NO_INIT="a_schema_4_database_migrates_on_first_open_and_nobody_reenrolls \
  a_migration_that_fails_part_way_leaves_the_old_database_as_it_was \
  an_old_database_with_another_key_file_is_refused_and_left_as_it_was \
  processes_opening_an_old_database_at_once_agree_on_one_data_key"

case_a_new_database_has_a_data_key_and_seals_under_it() {
  three_enrollments
  expect_eq "$(meta_keys)" "data_key "
  expect_eq "$(data_key_number)" 1
  expect_eq "$(secret_versions)" "02 02 02 "
  # Each sealed secret records the data key's number after its version.
  expect_eq "$(db_sql "SELECT count(*) FROM enrollments WHERE substr(secret, 2, 4) = (SELECT substr(value, 2, 4) FROM meta WHERE key = 'data_key')")" 3
}

case_a_schema_4_database_migrates_on_first_open_and_nobody_reenrolls() {
  restore_schema4
  expect_eq "$(meta_keys)" "key_check "
  expect_eq "$(secret_versions)" "01 01 01 "
  # The first command migrates: every secret sealed again under a new data key.
  expect_exit 0 mfa --json key check
  expect_eq "$(json 'j')" "{'checked': 3, 'failed': []}"
  expect_eq "$(schema_number)" 5
  expect_eq "$(meta_keys)" "data_key "
  expect_eq "$(data_key_number)" 1
  expect_eq "$(secret_versions)" "02 02 02 "
  # The same phones, the same backup codes: oathtool's code from the secret
  # the old mfa showed, and an old backup code, are accepted.
  expect_exit 0 mfa verify alice "$(code_for "$ALICE")"
  expect_exit 0 mfa verify bob "${BOB_CODES%% *}"
  expect_exit 1 mfa verify bob "${BOB_CODES%% *}"
  expect_exit 0 mfa --json users show pat
  expect_eq "$(json 'j["enrollment"]')" "pending"
  expect_exit 0 mfa --json users show carol
  expect_eq "$(json 'j["auth"]')" "sso"
  # A second open changes nothing more.
  local state
  state=$(db_sql "SELECT key, hex(value) FROM meta" 2>/dev/null || true)
  expect_exit 0 mfa users list
  expect_eq "$(db_sql "SELECT key, hex(value) FROM meta" 2>/dev/null || true)" "$state"
}

case_a_migration_that_fails_part_way_leaves_the_old_database_as_it_was() {
  restore_schema4
  # The last step of the migration (sealing the secrets again) is refused.
  if [ "$MFA_TEST_BACKEND" = sqlite ]; then
    sqlite3 "$MFA_DB" "CREATE TRIGGER no_reseal BEFORE UPDATE ON enrollments BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;"
  else
    pg_sql "CREATE FUNCTION no_reseal() RETURNS trigger LANGUAGE plpgsql AS \$\$ BEGIN RAISE EXCEPTION 'refused by the test'; END \$\$;
            CREATE TRIGGER no_reseal BEFORE UPDATE ON enrollments FOR EACH ROW EXECUTE FUNCTION no_reseal();" >/dev/null
  fi
  local before
  before=$(db_state)
  expect_exit 6 mfa users list
  expect_contains "$ERR" "refused by the test"
  expect_eq "$(db_state)" "$before"
  expect_eq "$(schema_number)" 4
  expect_eq "$(meta_keys)" "key_check "
  if [ "$MFA_TEST_BACKEND" = sqlite ]; then
    sqlite3 "$MFA_DB" "DROP TRIGGER no_reseal"
  else
    pg_sql "DROP TRIGGER no_reseal ON enrollments; DROP FUNCTION no_reseal()" >/dev/null
  fi
  expect_exit 0 mfa verify alice "$(code_for "$ALICE")"
  expect_eq "$(schema_number)" 5
}

case_an_old_database_with_another_key_file_is_refused_and_left_as_it_was() {
  restore_schema4
  local before
  before=$(db_state)
  (umask 077 && printf '%064d\n' 7 >"$(the_key_file)")
  expect_exit 6 mfa users list
  expect_contains "$ERR" "does not belong to database"
  expect_eq "$(db_state)" "$before"
}

case_processes_opening_an_old_database_at_once_agree_on_one_data_key() {
  restore_schema4
  local i pids=()
  for i in 1 2 3 4 5 6; do
    mfa users list >"out.$i" 2>"err.$i" &
    pids+=($!)
  done
  for i in "${!pids[@]}"; do
    wait "${pids[$i]}" || fail "process $((i + 1)) failed: $(cat "err.$((i + 1))")"
  done
  expect_eq "$(meta_keys)" "data_key "
  expect_eq "$(secret_versions)" "02 02 02 "
  expect_exit 0 mfa --json key check
  expect_eq "$(json 'j["failed"]')" "[]"
}

run_cases
