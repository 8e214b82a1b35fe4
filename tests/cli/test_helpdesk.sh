#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The helpdesk's commands change what needs changing and say so when there
# is nothing to do, without an audit row of nothing.
source "$(dirname "$0")/lib.sh"

audit_rows() { db_sql 'SELECT count(*) FROM audit'; }

case_unlock_of_a_user_neither_locked_nor_failing_changes_nothing() {
  setup_story
  mfa users add alice >/dev/null 2>&1
  enroll_user alice
  local before
  before=$(db_state)
  expect_exit 0 mfa unlock alice --reason "just in case"
  expect_contains "$ERR" "nothing to unlock"
  expect_eq "$(db_state)" "$before"
  expect_exit 0 mfa --json unlock alice
  expect_eq "$(json 'j["changed"]')" False
  expect_eq "$(db_state)" "$before"
  # A failing user is unlocked, and that is audited.
  expect_exit 1 mfa verify alice 12345a
  expect_exit 0 mfa --json unlock alice
  expect_eq "$(json 'j["changed"]')" True
  expect_eq "$(db_sql "SELECT count(*) FROM audit WHERE action = 'unlock'")" 1
}

case_reset_of_a_user_with_no_enrollment_changes_nothing_and_asks_nothing() {
  setup_story
  mfa users add bob >/dev/null 2>&1
  local before
  before=$(db_state)
  # No --yes and no terminal: it would have to refuse if it asked.
  expect_exit 0 mfa reset bob
  expect_contains "$ERR" "nothing to reset"
  expect_eq "$(db_state)" "$before"
  expect_exit 0 mfa --json reset bob
  expect_eq "$(json 'j["changed"]')" False
}

case_a_bad_reason_is_refused_before_the_question() {
  setup_story
  mfa users add alice >/dev/null 2>&1
  enroll_user alice
  local before
  before=$(db_state)
  expect_exit 2 mfa reset alice --reason $'lost\nphone'
  expect_not_contains "$ERR" "Reset this user"
  expect_eq "$(db_state)" "$before"
}

case_a_batch_naming_one_user_twice_with_spaces_enrolls_nobody() {
  setup_story
  mfa users add y >/dev/null 2>&1
  printf 'y\n y \n' >names.txt
  local before
  before=$(db_state)
  expect_exit 2 mfa enroll --batch names.txt
  expect_contains "$ERR" "line 2"
  expect_contains "$ERR" "listed twice"
  expect_eq "$(db_state)" "$before"
}

case_the_audit_row_of_a_reset_counts_failures_in_words() {
  setup_story
  mfa users add alice >/dev/null 2>&1
  enroll_user alice
  mfa verify alice 000000 >/dev/null 2>&1
  expect_exit 0 mfa -y reset alice --reason "one failure"
  expect_exit 0 mfa --json audit --action reset
  expect_contains "$(json 'j[0]["old"]')" "1 failure"
  expect_not_contains "$(json 'j[0]["old"]')" "1 failures"
}

run_cases
