#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Every admin change lands in the audit log with who, what, old and new,
# newest first.
source "$(dirname "$0")/lib.sh"

case_changes_are_audited_with_actor_old_and_new() {
  mfa --yes --actor alice options set internalMFA required >/dev/null 2>&1
  MFA_ACTOR=bob mfa --yes options set internalMFA optional >/dev/null 2>&1
  SUDO_USER=carol mfa --yes options set mfaDigits 8 >/dev/null 2>&1
  MFA_ACTOR=bob mfa --yes --actor dave options set mfaDigits 6 >/dev/null 2>&1
  expect_exit 0 mfa audit --json
  expect_eq "$(json '";".join("%s,%s,%s,%s,%s" % (e["actor"], e["action"], e["target"], e["old"], e["new"]) for e in j)')" \
    "dave,options.set,mfaDigits,8,6;carol,options.set,mfaDigits,6,8;bob,options.set,internalMFA,On (Required),On (Optional);alice,options.set,internalMFA,Off,On (Required)"
  expect_eq "$(json 'all(__import__("re").fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", e["at"]) for e in j)')" "True"
  # The same rows, read by sqlite3 (psql) from the database itself.
  expect_eq "$(db_sql "SELECT actor || ',' || old_value || ',' || new_value FROM audit ORDER BY id LIMIT 1")" \
    "alice,Off,On (Required)"
}

case_limit_shows_the_newest() {
  for v in 2 3 4 5; do mfa --yes options set mfaWindow $v >/dev/null 2>&1; done
  expect_exit 0 mfa audit --limit 2 --json
  expect_eq "$(json '[e["new"] for e in j]')" "['5', '4']"
  expect_exit 0 mfa audit --limit 2
  expect_eq "$(printf '%s\n' "$OUT" | wc -l)" 3
  expect_exit 2 mfa audit --limit 0
  expect_exit 2 mfa audit --limit many
}

case_human_table_is_aligned_by_display_width() {
  mfa --yes --actor "Zoë" options set mfaWindow 2 >/dev/null 2>&1
  mfa --yes --actor "日本" options set mfaWindow 3 >/dev/null 2>&1
  mfa --yes --actor "plain" options set mfaWindow 4 >/dev/null 2>&1
  expect_exit 0 mfa audit
  # The Action column starts at the same terminal column on every line.
  expect_eq "$(python3 -c '
import sys, unicodedata
def width(s): return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1 for c in s)
cols = set()
for line in sys.stdin.read().splitlines():
    i = line.index("Action") if line.startswith("At") else line.index("options.set")
    cols.add(width(line[:i]))
print(len(cols))' <<<"$OUT")" 1
}

case_unknown_user_with_no_history_is_exit_3() {
  expect_exit 3 mfa audit --user nobody
  expect_contains "$ERR" "no such user"
  expect_exit 3 mfa audit --user nobody --json
  expect_eq "$(json 'j["exit"]')" 3
}

run_cases
