#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# mfa key check: every sealed secret opens with the key file, or the users
# whose secret does not are named (exit 6), on both backends.
source "$(dirname "$0")/lib.sh"

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

run_cases
