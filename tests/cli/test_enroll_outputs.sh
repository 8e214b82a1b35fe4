#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# An enrollment's outputs are written before its secret is committed: one
# that fails changes nothing (exit 2); and a pending secret can be shown
# again without replacing it, an active one never.
source "$(dirname "$0")/lib.sh"

secret_of() { python3 -c 'import json,sys; print(json.loads(sys.stdin.read())["secret"])' <<<"$OUT"; }

case_an_unwritable_svg_is_exit_2_and_commits_nothing() {
  setup_story
  mfa users add alice >/dev/null 2>&1
  local before
  before=$(db_state)
  expect_exit 2 mfa enroll alice --qr none --svg /nonexistent/alice.svg
  expect_contains "$ERR" "/nonexistent/alice.svg"
  expect_eq "$(db_state)" "$before"
  expect_exit 2 mfa --json enroll alice --svg /nonexistent/alice.svg
  expect_eq "$(json 'j["exit"]')" 2
  expect_eq "$(db_state)" "$before"
  # The same user enrolls fine once the output can be written.
  expect_exit 0 mfa enroll alice --qr none --svg alice.svg
  [ -s alice.svg ] || fail "no SVG written"
  expect_eq "$(file_mode alice.svg)" 600
}

case_stdout_that_cannot_be_written_commits_nothing() {
  setup_story
  mfa users add alice >/dev/null 2>&1
  [ -w /dev/full ] || skip "no /dev/full here"
  local before
  before=$(db_state)
  mfa enroll alice --qr none >/dev/full 2>err
  expect_eq "$?" 2
  expect_contains "$(cat err)" "standard output"
  expect_eq "$(db_state)" "$before"
  mfa --json enroll alice >/dev/full 2>/dev/null
  expect_eq "$?" 2
  expect_eq "$(db_state)" "$before"
}

case_a_batch_whose_fifth_svg_fails_leaves_every_enrollment_and_no_svg() {
  setup_story
  local i
  for i in 1 2 3 4 5 6; do mfa users add "u$i" >/dev/null 2>&1; done
  mfa users add u0 >/dev/null 2>&1
  OUT=$(mfa --json enroll u0)
  local pending_secret
  pending_secret=$(secret_of)
  printf 'u0\nu1\nu2\nu3\nu4\nu5\nu6\n' >names.txt
  mkdir -p svgs/u4.svg # a folder where the fifth user's file must go
  local before
  before=$(db_state)
  expect_exit 2 mfa enroll --batch names.txt --svg-dir svgs
  expect_contains "$ERR" "u4.svg"
  expect_eq "$OUT" ""
  expect_eq "$(db_state)" "$before"
  expect_eq "$(find svgs -name '*.svg' -type f | wc -l)" 0
  # u0's pending secret is the one it had.
  expect_exit 0 mfa --json enroll u0 --show
  expect_eq "$(secret_of)" "$pending_secret"
}

case_show_repeats_the_pending_secret_and_changes_nothing() {
  setup_story
  mfa users add alice >/dev/null 2>&1
  expect_exit 0 mfa --json enroll alice
  local secret uri before
  secret=$(secret_of)
  uri=$(json 'j["uri"]')
  before=$(db_state)
  expect_exit 0 mfa --json enroll alice --show
  expect_eq "$(secret_of)" "$secret"
  expect_eq "$(json 'j["uri"]')" "$uri"
  expect_eq "$(json 'j["state"]')" pending
  expect_eq "$(db_state)" "$before"
  expect_exit 0 mfa enroll alice --show --qr none --svg again.svg
  expect_contains "$OUT" "secret: $secret"
  [ -s again.svg ] || fail "no SVG written by --show"
  # The shown secret is the one that confirms.
  expect_exit 0 mfa enroll alice --confirm "$(code_for "$secret")"
}

case_show_refuses_an_active_or_missing_enrollment() {
  setup_story
  mfa users add alice >/dev/null 2>&1
  expect_exit 4 mfa enroll alice --show
  expect_contains "$ERR" "no pending enrollment"
  enroll_user alice
  expect_exit 4 mfa --json enroll alice --show
  expect_not_contains "$OUT" "$SECRET"
  expect_contains "$(json 'j["error"]')" "never shown again"
  expect_exit 3 mfa enroll nobody --show
  expect_exit 2 mfa enroll alice --show --confirm 123456
}

case_a_failed_enrollment_leaves_every_svg_that_was_there_as_it_was() {
  setup_story
  local i
  for i in 1 2 3; do mfa users add "u$i" >/dev/null 2>&1; done
  # The QR codes of pending secrets, from an earlier run.
  printf 'u1\nu2\n' >first.txt
  expect_exit 0 mfa enroll --batch first.txt --svg-dir svgs
  local sums
  sums=$(sha256sum svgs/*.svg)
  # A second batch fails at its third file: the earlier files stay.
  printf 'u1\nu2\nu3\n' >again.txt
  mkdir svgs/u3.svg
  expect_exit 2 mfa enroll --batch again.txt --svg-dir svgs
  expect_eq "$(sha256sum svgs/*.svg 2>/dev/null | grep -v u3)" "$sums"
  # One user, an output that fails after the file was written: the old file stays.
  local rc
  mfa enroll u1 --svg svgs/u1.svg --qr utf8 >/dev/full 2>/dev/null
  rc=$?
  expect_eq "$rc" 2
  mfa enroll u1 --show --svg svgs/u1.svg --qr utf8 >/dev/full 2>/dev/null
  rc=$?
  expect_eq "$rc" 2
  expect_eq "$(sha256sum svgs/*.svg 2>/dev/null | grep -v u3)" "$sums"
  expect_eq "$(ls svgs | grep -c mfa-new)" 0
}

run_cases
