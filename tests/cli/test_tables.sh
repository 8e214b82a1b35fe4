#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Tables fit the terminal they are printed to (the widest free-text column
# shortened with "…"); --wide shows every cell whole; a pipe gets them whole.
source "$(dirname "$0")/lib.sh"

LONG_DESCRIPTION="Enable or disable MFA for external accounts, including portal users, hotline agents, and any external parties granted access to cases"

# on_terminal COLUMNS ARG...: runs mfa on a pseudo-terminal of that width
# (0: one that does not say), without colour; sets $OUT (lines end in \r).
on_terminal() {
  local columns=$1
  shift
  expect_exit 0 env NO_COLOR=1 python3 "$TOOLS/pty_run.py" -- \
    sh -c 'stty cols "$0" rows 24 && exec "$@"' "$columns" "$MFA_BIN" "$@"
}

# The widest line of $OUT in terminal columns (East Asian wide characters
# are two, combining marks none); fails on output that is not UTF-8.
widest() {
  python3 -c '
import sys, unicodedata
text = sys.stdin.buffer.read().decode("utf-8")
def width(line):
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
print(max((width(l.rstrip("\r")) for l in text.split("\n")), default=0))' <<<"$OUT" || fail "output is not UTF-8: $OUT"
}

case_options_list_fits_an_80_column_terminal() {
  mfa init >/dev/null
  on_terminal 80 options list
  [ "$(widest)" -le 80 ] || fail "a line is wider than 80 columns: $OUT"
  expect_contains "$OUT" "…"
  expect_not_contains "$OUT" "$LONG_DESCRIPTION"
  # Whole words of the key and value columns are kept.
  expect_contains "$OUT" "enableMFABackupCodes"
}

case_wide_shows_every_cell_whole_wherever_it_is_given() {
  mfa -y options set externalMFA required >/dev/null 2>&1
  on_terminal 80 --wide options list
  expect_contains "$OUT" "$LONG_DESCRIPTION"
  expect_not_contains "$OUT" "…"
  on_terminal 80 options list --wide
  expect_contains "$OUT" "$LONG_DESCRIPTION  On (Required)"
}

case_a_pipe_gets_the_whole_table() {
  mfa init >/dev/null
  expect_exit 0 env COLUMNS=40 "$MFA_BIN" options list
  expect_contains "$OUT" "$LONG_DESCRIPTION"
  expect_not_contains "$OUT" "…"
  [ "$(widest)" -gt 80 ] || fail "the piped table was shortened: $OUT"
}

case_a_terminal_that_does_not_say_its_size_uses_COLUMNS_else_80() {
  mfa init >/dev/null
  export COLUMNS=60
  on_terminal 0 options list
  [ "$(widest)" -le 60 ] || fail "COLUMNS=60 was not used: $OUT"
  [ "$(widest)" -ge 55 ] || fail "the table is narrower than it needs to be: $OUT"
  unset COLUMNS
  on_terminal 0 options list
  [ "$(widest)" -le 80 ] && [ "$(widest)" -ge 75 ] || fail "not 80 columns without COLUMNS: $OUT"
}

case_wide_characters_count_two_and_are_cut_whole() {
  mfa init >/dev/null
  mfa users add "山田太郎 さんの とても 長い 名前 です よろしく お願いします" --email "yamada@example.com" >/dev/null 2>&1
  mfa users add "a user with a name much longer than this narrow terminal is" >/dev/null 2>&1
  on_terminal 70 users list
  [ "$(widest)" -le 70 ] || fail "a line is wider than 70 columns: $OUT"
  [ "$(widest)" -ge 68 ] || fail "wide characters were counted as one column: $OUT"
  expect_contains "$OUT" "山田太郎 さんの"
  expect_contains "$OUT" "…"
  expect_contains "$OUT" "yamada@example.com"
}

case_cells_stay_escaped_when_shortened() {
  mfa init >/dev/null
  # A combining mark is kept in a name but shown escaped.
  mfa users add "$(printf 'cafe\xcc\x81 name that is long enough to be shortened on this terminal')" >/dev/null 2>&1
  on_terminal 60 users list
  expect_not_contains "$OUT" $'\xcc\x81'
  expect_contains "$OUT" 'cafe\u0301 name'
  expect_contains "$OUT" "…"
  [ "$(widest)" -le 60 ] || fail "a line is wider than 60 columns: $OUT"
}

case_audit_and_users_show_fit_too() {
  mfa init >/dev/null
  mfa users add "someone with a fairly long name indeed" --email "someone.with.a.long.address@example.com" >/dev/null 2>&1
  mfa -y --actor "an admin with a long actor name" options set mfaWindow 2 >/dev/null 2>&1
  on_terminal 80 audit
  [ "$(widest)" -le 80 ] || fail "audit is wider than 80 columns: $OUT"
  expect_contains "$OUT" "…"
  expect_contains "$OUT" "users.add"
  # Times are never cut: a shortened time would read as another one.
  python3 -c 'import re,sys; sys.exit(0 if re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", sys.argv[1]) else 1)' "$OUT" \
    || fail "audit at 80 columns cut its times: $OUT"
  on_terminal 80 --wide audit
  expect_contains "$OUT" "someone.with.a.long.address@example.com"
  on_terminal 30 users show "someone with a fairly long name indeed"
  [ "$(widest)" -le 30 ] || fail "users show is wider than 30 columns: $OUT"
  expect_contains "$OUT" "failed attempts"
}

run_cases
