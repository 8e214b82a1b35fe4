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

run_cases
