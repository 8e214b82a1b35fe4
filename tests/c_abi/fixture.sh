#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# shellcheck disable=SC2034 # the variables set here are read by the tests that source this file
# The database the C ABI tests run on, made with the `mfa` CLI ($MFA_BIN) in
# a lib.sh case: MFA required for internal users, optional for external.
#   alice  internal, enrolled (active)     bob  internal, not enrolled
#   eve    external, not enrolled          sam  internal, SSO
#   lou    internal, enrolled (the tests lock lou out)
# Sets CODE (alice's current TOTP code), OTHER_KEY (the key of another
# database), MISSING (a path with no database, in a folder that does not
# exist either) and VERSION (of `mfa --version`). The tests also open
# $MFA_DB.missing, which does not exist.
make_login_fixture() {
  setup_story
  local user
  for user in alice bob lou; do
    mfa users add "$user" >/dev/null 2>&1 || fail "users add $user"
  done
  mfa users add eve --external >/dev/null 2>&1 || fail "users add eve"
  mfa users add sam --sso >/dev/null 2>&1 || fail "users add sam"
  enroll_user lou
  enroll_user alice
  CODE=$(code_for "$SECRET")
  mfa --db "$PWD/other/mfa.db" init >/dev/null || fail "init of the other database"
  OTHER_KEY=$PWD/other/mfa.key
  MISSING=$PWD/nowhere/mfa.db
  VERSION=$(mfa --version | awk '{print $2}')
}

# expect_nothing_created: the failed opens of MISSING and of $MFA_DB.missing
# (a folder that exists) made no file or folder.
expect_nothing_created() {
  [ ! -e "$PWD/nowhere" ] || fail "opening $MISSING created $(find "$PWD/nowhere")"
  local made
  made=$(find "$(dirname "$MFA_DB")" -maxdepth 1 -name "$(basename "$MFA_DB").missing*")
  [ -z "$made" ] || fail "opening $MFA_DB.missing created $made"
}

# expect_c_api_audited: alice's accepted login is audited under the default
# actor "c-api", the replay under the actor the caller named.
expect_c_api_audited() {
  expect_exit 0 mfa --json audit --user alice --action verify
  expect_eq "$(json '[(r["actor"], r["new"]) for r in j]')" \
    "[('web-login', 'rejected'), ('c-api', 'accepted (totp)')]"
  expect_exit 0 mfa --json status lou
  expect_eq "$(json 'j["decision"]')" locked
}

# sanitizer_preload: PRELOAD, a command prefix (an array) for python3. A
# sanitized libmfa ($MFA_SANITIZE) loads only into a process whose sanitizer
# runtimes came first: python3 gets them preloaded (its own leaks are not
# libmfa's). Skips the test for a sanitizer without a runtime to preload.
sanitizer_preload() {
  PRELOAD=()
  [ -n "${MFA_SANITIZE:-}" ] || return 0
  local runtimes=() sanitizer
  for sanitizer in ${MFA_SANITIZE//,/ }; do
    case $sanitizer in
    address) runtimes+=("$(gcc -print-file-name=libasan.so)") ;;
    undefined) runtimes+=("$(gcc -print-file-name=libubsan.so)") ;;
    *) skip "no runtime to preload into python3 for -fsanitize=$sanitizer" ;;
    esac
  done
  PRELOAD=(env LD_PRELOAD="${runtimes[*]}" ASAN_OPTIONS=detect_leaks=0)
}
