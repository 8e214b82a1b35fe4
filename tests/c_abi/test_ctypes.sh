#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# libmfa's C ABI from Python through ctypes (test_ctypes.py), against the
# built library ($MFA_LIBRARY); test_install.sh runs it on the installed one.
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/../cli/lib.sh"
source "$HERE/fixture.sh"
: "${MFA_LIBRARY:?}"

sanitizer_preload

case_python_decides_verifies_and_gets_every_code() {
  make_login_fixture
  expect_exit 0 "${PRELOAD[@]}" python3 "$HERE/test_ctypes.py" "$MFA_LIBRARY" "$MFA_DB" "$CODE" "$OTHER_KEY" \
    "$MISSING" "$VERSION"
  expect_contains "$OUT" "every return code seen"
  expect_nothing_created
  expect_c_api_audited
}

run_cases
