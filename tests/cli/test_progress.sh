#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Long work shows progress on a terminal's stderr: never with --json, never
# when stderr is not a terminal.
source "$(dirname "$0")/lib.sh"

on_pty() { python3 "$TOOLS/pty_run.py" -- "$MFA_BIN" "$@"; }

make_csv() {
  { echo name,type; for i in $(seq 1 "$1"); do echo "user$i,internal"; done; } >users.csv
}

case_import_on_a_terminal_shows_rows_and_the_share_done() {
  mfa init >/dev/null
  make_csv 300
  expect_exit 0 on_pty users import users.csv
  expect_contains "$OUT" "Importing users: "
  expect_contains "$OUT" "rows (100%)"
  # Rewritten in place and cleared before the summary.
  expect_contains "$OUT" $'\r\e[K'
  expect_contains "$OUT" "Imported users: 300 added"
  expect_eq "$(db_sql 'SELECT count(*) FROM users')" 300
}

case_import_from_stdin_on_a_terminal_counts_rows_without_a_share() {
  mfa init >/dev/null
  make_csv 5
  expect_exit 0 python3 "$TOOLS/pty_run.py" -- sh -c '"$0" users import - <users.csv' "$MFA_BIN"
  expect_contains "$OUT" "Importing users: "
  expect_not_contains "$OUT" "%)"
}

case_no_progress_when_stderr_is_not_a_terminal_or_with_json() {
  mfa init >/dev/null
  make_csv 50
  expect_exit 0 mfa users import users.csv
  expect_not_contains "$ERR" "Importing"
  expect_not_contains "$ERR" $'\r'
  make_csv 60
  sed -i 's/^user/other/' users.csv
  expect_exit 0 on_pty --json users import users.csv
  expect_not_contains "$OUT" "Importing"
  expect_not_contains "$OUT" $'\e[K'
  expect_contains "$OUT" '"added":60'
}

case_batch_enrollment_on_a_terminal_shows_both_phases() {
  setup_story
  for name in ann bob cat; do mfa users add "$name" >/dev/null 2>&1; done
  printf 'ann\nbob\ncat\n' >names.txt
  expect_exit 0 on_pty enroll --batch names.txt --svg-dir qr
  expect_contains "$OUT" "Enrolling users: 3/3 (100%)"
  expect_contains "$OUT" "Writing QR codes: 3/3 (100%)"
  [ "$(ls qr | wc -l)" -eq 3 ] || fail "expected 3 SVG files"
  # Piped stderr, or --json on a terminal: JSON lines and nothing else.
  expect_exit 0 mfa -y reset ann
  printf 'ann\n' >one.txt
  expect_exit 0 mfa enroll --batch one.txt
  expect_not_contains "$ERR" "Enrolling"
  expect_exit 0 mfa -y reset ann
  expect_exit 0 on_pty --json enroll --batch one.txt --svg-dir qr2
  expect_not_contains "$OUT" "Enrolling"
  expect_not_contains "$OUT" "Writing QR codes"
}

run_cases
