#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# libmfa's C ABI from a program compiled as C (c_abi_test.c, $MFA_C_ABI_TEST).
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/../cli/lib.sh"
source "$HERE/fixture.sh"
: "${MFA_C_ABI_TEST:?}"

case_a_c_program_decides_verifies_and_gets_every_code() {
  make_login_fixture
  expect_exit 0 "$MFA_C_ABI_TEST" "$MFA_DB" "$CODE" "$OTHER_KEY" "$MISSING" "$VERSION"
  expect_contains "$OUT" "every return code seen"
  expect_nothing_created
  expect_c_api_audited
}

# Faults thrown deep inside libmfa come out as MFA_STORAGE with their message:
# a sealed secret that does not open (thrown by verify, after the open), and
# a file that is not a database.
case_a_fault_inside_the_library_is_mfa_storage_not_an_exception() {
  make_login_fixture
  # lou's sealed secret: its header kept, random bytes after it.
  sqlite3 "$MFA_DB" "UPDATE enrollments
    SET secret = CAST(substr(secret, 1, 16) || randomblob(length(secret) - 16) AS BLOB)
    WHERE user_id = (SELECT id FROM users WHERE name = 'lou')" || fail "cannot change lou's secret"
  expect_exit 6 "$MFA_C_ABI_TEST" verify "$MFA_DB" lou 123456
  expect_contains "$OUT" "mfa_verify: "
  expect_contains "$OUT" "does not open"
  expect_exit 0 "$MFA_C_ABI_TEST" verify "$MFA_DB" alice "$CODE" # the other secrets still open
  expect_eq "$OUT" "mfa_verify: "
  printf 'not an mfa database, not SQLite at all\n' >junk.db # beside the key mfa.key
  expect_exit 6 "$MFA_C_ABI_TEST" verify "$PWD/junk.db" alice "$CODE"
  expect_contains "$OUT" "mfa_open: "
}

run_cases
