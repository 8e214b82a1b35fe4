#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# mfa enroll --export otpauth: the active enrollments as NAME otpauth://
# lines, for moving out; what they hold makes the same codes (oathtool).
source "$(dirname "$0")/lib.sh"

# uri_secret URI: the secret= parameter of an otpauth:// URI.
uri_secret() { python3 -c 'import sys, urllib.parse as u; print(u.parse_qs(u.urlparse(sys.argv[1]).query)["secret"][0])' "$1"; }

case_export_prints_each_active_enrollment_once_and_its_secret_makes_the_same_codes() {
  three_enrollments
  expect_exit 0 mfa -y enroll --export otpauth
  expect_eq "$(cut -d' ' -f1 <<<"$OUT" | tr '\n' ' ')" "alice bob "
  local alice_uri bob_uri
  alice_uri=$(sed -n 's/^alice //p' <<<"$OUT")
  bob_uri=$(sed -n 's/^bob //p' <<<"$OUT")
  expect_contains "$alice_uri" "otpauth://totp/"
  expect_eq "$(uri_secret "$alice_uri")" "$ALICE"
  expect_eq "$(uri_secret "$bob_uri")" "$BOB"
  expect_contains "$ERR" "Exported 2 active enrollments"
  # The exported secret's code, by oathtool, logs alice in.
  expect_exit 0 mfa verify alice "$(oathtool --totp -b "$(uri_secret "$alice_uri")")"
}

case_export_is_audited_per_user_and_the_audit_never_holds_a_secret() {
  three_enrollments
  expect_exit 0 mfa -y --actor mover enroll --export otpauth
  expect_exit 0 mfa --json audit --action enroll.export
  expect_eq "$(json 'sorted((r["actor"], r["target"], r["old"], r["new"]) for r in j)')" \
    "[('mover', 'alice', 'active', 'exported'), ('mover', 'bob', 'active', 'exported')]"
  expect_not_contains "$OUT" "$ALICE"
  expect_not_contains "$OUT" "$BOB"
  expect_not_contains "$(db_state)" "$ALICE"
}

case_export_of_one_user_and_json() {
  three_enrollments
  expect_exit 0 mfa -y --json enroll --export otpauth --user bob
  expect_eq "$(json '[e["user"] for e in j]')" "['bob']"
  expect_eq "$(uri_secret "$(json 'j[0]["uri"]')")" "$BOB"
  expect_exit 4 mfa -y enroll --export otpauth --user pat # pending: nothing to export
  expect_exit 3 mfa -y enroll --export otpauth --user ghost
  expect_exit 0 mfa --json audit --action enroll.export
  expect_eq "$(json 'len(j)')" 1
}

case_export_needs_a_confirmation_and_changes_nothing_without_one() {
  three_enrollments
  local before
  before=$(db_state)
  expect_exit 2 mfa enroll --export otpauth # no terminal, no --yes
  expect_contains "$ERR" "--yes"
  expect_eq "$OUT" ""
  expect_eq "$(db_state)" "$before"
  expect_exit 2 mfa -y enroll --export csv
  expect_exit 2 mfa -y enroll alice --export otpauth
  expect_exit 2 mfa enroll alice --user alice
  expect_eq "$(db_state)" "$before"
}

case_a_secret_that_does_not_open_exports_nothing() {
  three_enrollments
  db_sql "UPDATE enrollments SET secret = (SELECT e.secret FROM enrollments e JOIN users u ON u.id = e.user_id
    WHERE u.name = 'bob') WHERE user_id = (SELECT id FROM users WHERE name = 'alice')" >/dev/null
  expect_exit 6 mfa -y enroll --export otpauth
  expect_eq "$OUT" ""
  expect_exit 0 mfa --json audit --action enroll.export
  expect_eq "$(json 'len(j)')" 0
}

run_cases
