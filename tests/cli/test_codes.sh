#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Codes as people and scripts type them: one reading for verify and enroll
# --confirm, "-" reads the code from stdin (so it never shows in ps), the
# state reported is the library's, and locks are audited.
source "$(dirname "$0")/lib.sh"

spaced() { echo "${1:0:3} ${1:3}"; }

case_enroll_confirm_accepts_the_spaced_code_that_verify_accepts() {
  setup_story
  mfa users add alice >/dev/null 2>&1
  local secret
  secret=$(mfa --json enroll alice | python3 -c 'import json,sys; print(json.load(sys.stdin)["secret"])')
  expect_exit 0 mfa --json enroll alice --confirm "$(spaced "$(code_for "$secret")")"
  expect_eq "$(json 'j["state"]')" active
  expect_exit 0 mfa --json users show alice
  expect_eq "$(json 'j["failed_attempts"]')" 0
  expect_exit 0 mfa verify alice "$(spaced "$(code_for "$secret" 1)")"
}

case_confirm_of_an_active_user_reports_active() {
  setup_story
  mfa users add alice >/dev/null 2>&1
  enroll_user alice
  expect_exit 4 mfa --json enroll alice --confirm "$(code_for "$SECRET")"
  expect_eq "$(json 'j["state"]')" active
  expect_eq "$(json 'j["exit"]')" 4
}

case_a_dash_reads_the_code_from_stdin_for_verify_and_confirm() {
  setup_story
  mfa users add alice >/dev/null 2>&1
  local secret
  secret=$(mfa --json enroll alice | python3 -c 'import json,sys; print(json.load(sys.stdin)["secret"])')
  code_for "$secret" >code.txt
  expect_exit 0 mfa --json enroll alice --confirm - <code.txt
  expect_eq "$(json 'j["state"]')" active
  code_for "$secret" 1 >code.txt
  expect_exit 0 mfa verify alice - <code.txt
  # Nothing on stdin is no code: a usage error, not a counted guess.
  expect_exit 2 mfa verify alice - </dev/null
  expect_exit 2 mfa verify alice </dev/null
  expect_exit 0 mfa --json users show alice
  expect_eq "$(json 'j["failed_attempts"]')" 0
}

case_hostile_codes_are_rejected_as_malformed_on_argv_and_stdin() {
  setup_story
  mfa -y options set mfaMaxFailedAttempts 0 >/dev/null 2>&1
  mfa users add alice >/dev/null 2>&1
  enroll_user alice
  local code
  code=$(code_for "$SECRET")
  local bad
  for bad in "+$code" "0x1e240" "$(printf '\xef\xbc\x91\xef\xbc\x92\xef\xbc\x93\xef\xbc\x94\xef\xbc\x95\xef\xbc\x96')" \
    "$(head -c 10240 /dev/zero | tr '\0' 1)" "${code:0:3}-${code:3}"; do
    expect_exit 1 mfa --json verify alice "$bad"
    expect_eq "$(json 'j["reason"]')" malformed
    printf '%s\n' "$bad" >bad.txt
    expect_exit 1 mfa --json verify alice - <bad.txt
    expect_eq "$(json 'j["reason"]')" malformed
  done
  # An embedded NUL on stdin cuts nothing short: the line is malformed.
  printf '%s\0%s\n' "${code:0:3}" "${code:3}" >nul.txt
  expect_exit 1 mfa --json verify alice - <nul.txt
  expect_eq "$(json 'j["reason"]')" malformed
  # The right code still works afterwards.
  expect_exit 0 mfa verify alice "$code"
}

case_a_right_code_during_a_lock_is_exit_5_audited_and_not_counted() {
  setup_story
  mfa -y options set mfaMaxFailedAttempts 2 >/dev/null 2>&1
  mfa users add alice >/dev/null 2>&1
  enroll_user alice
  local wrong=000000
  [ "$(code_for "$SECRET")" = 000000 ] && wrong=111111
  expect_exit 1 mfa verify alice $wrong
  expect_exit 1 mfa --json verify alice $wrong
  expect_contains "$(json 'j["locked_until"]')" "T"
  expect_exit 5 mfa --json verify alice "$(code_for "$SECRET")"
  expect_eq "$(json 'j["reason"]')" locked
  expect_exit 0 mfa --json users show alice
  expect_eq "$(json 'j["failed_attempts"]')" 2
  expect_exit 0 mfa --json audit --user alice
  expect_eq "$(json '[e["new"] for e in j if e["action"] == "verify"][-1].split(";")[0]')" refused
}

case_on_a_terminal_the_code_is_asked_without_echo_and_only_when_needed() {
  setup_story
  mfa users add alice >/dev/null 2>&1
  mfa users add carol --sso >/dev/null 2>&1
  enroll_user alice
  local code
  code=$(code_for "$SECRET")
  expect_exit 0 python3 "$TOOLS/pty_run.py" --prompt "Code: " --answer "$code" -- "$MFA_BIN" verify alice
  expect_contains "$OUT" "Code: "
  expect_contains "$OUT" "accepted"
  expect_not_contains "$OUT" "$code"
  # An SSO user is refused before any question.
  expect_exit 4 python3 "$TOOLS/pty_run.py" --prompt "Code: " --answer 123456 -- "$MFA_BIN" verify carol
  expect_not_contains "$OUT" "Code:"
  expect_contains "$OUT" "SSO"
  expect_exit 3 python3 "$TOOLS/pty_run.py" --prompt "Code: " --answer 123456 -- "$MFA_BIN" verify nobody
  expect_not_contains "$OUT" "Code:"
  expect_exit 4 mfa --json verify carol </dev/null
  expect_eq "$(json 'j["accepted"]')" False
}

run_cases
