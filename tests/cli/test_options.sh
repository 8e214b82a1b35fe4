#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# mfa options list/get/set, from outside, as an admin or a script uses them.
source "$(dirname "$0")/lib.sh"

case_defaults_are_listed() {
  expect_exit 0 mfa options list
  expect_contains "$OUT" "Key"
  expect_contains "$OUT" "Description"
  expect_contains "$OUT" "Value"
  expect_exit 0 mfa options list --json
  expect_eq "$(json '",".join(o["key"]+"="+o["value"] for o in j)')" \
    "internalMFA=Off,externalMFA=Off,enableMFABackupCodes=Yes,mfaIssuer=MFA,mfaAlgorithm=SHA1,mfaDigits=6,mfaPeriod=30,mfaWindow=1,mfaBackupCodeCount=10,mfaMaxFailedAttempts=5,mfaLockoutMinutes=15"
  expect_eq "$(json 'all(set(o)=={"key","description","value"} for o in j)')" "True"
  # The human table has the same rows, one a line under the header.
  expect_exit 0 mfa options list
  expect_eq "$(printf '%s\n' "$OUT" | wc -l)" 12
  expect_eq "$(printf '%s\n' "$OUT" | grep -c '^internalMFA .* Off$')" 1
}

case_search_matches_key_or_description_in_any_case() {
  expect_exit 0 mfa options list --search MFA --json
  expect_eq "$(json 'len(j)')" 11
  expect_exit 0 mfa options list --search BaCkUp --json
  expect_eq "$(json '[o["key"] for o in j]')" "['enableMFABackupCodes', 'mfaBackupCodeCount']"
  expect_exit 0 mfa options list --search "hotline agents" --json
  expect_eq "$(json '[o["key"] for o in j]')" "['externalMFA']"
  expect_exit 0 mfa options list --search nothing-like-this --json
  expect_eq "$(json 'j')" "[]"
}

case_get_prints_the_value_and_matches_keys_in_any_case() {
  expect_exit 0 mfa options get enablemfabackupcodes
  expect_eq "$OUT" "Yes"
  expect_exit 0 mfa options get MFAPERIOD --json
  expect_eq "$(json 'j["key"]+"|"+j["value"]')" "mfaPeriod|30"
  expect_exit 2 mfa options get noSuchKey
  expect_contains "$ERR" "unknown option 'noSuchKey'"
}

case_set_accepts_every_spelling() {
  local spelling expected
  while IFS='|' read -r key spelling expected; do
    expect_exit 0 mfa --yes options set "$key" "$spelling"
    expect_exit 0 mfa options get "$key"
    expect_eq "$OUT" "$expected"
  done <<'LIST'
internalMFA|On (Required)|On (Required)
internalMFA|off|Off
internalMFA|REQUIRED|On (Required)
internalMFA|optional|On (Optional)
internalMFA|on (optional)|On (Optional)
internalMFA|OFF|Off
externalMFA|Required|On (Required)
externalMFA|On (Optional)|On (Optional)
externalMFA|Off|Off
enableMFABackupCodes|no|No
enableMFABackupCodes|YES|Yes
enableMFABackupCodes|No|No
mfaIssuer|Case IQ|Case IQ
mfaAlgorithm|sha256|SHA256
mfaDigits|8|8
mfaPeriod|60|60
mfaWindow|0|0
mfaBackupCodeCount|20|20
mfaMaxFailedAttempts|0|0
mfaLockoutMinutes|1440|1440
LIST
}

case_invalid_keys_and_values_are_usage_errors_and_change_nothing() {
  mfa init >/dev/null
  local before
  before=$(db_state)
  while IFS='|' read -r key value; do
    expect_exit 2 mfa --yes options set "$key" "$value"
    expect_eq "$(printf '%s\n' "$ERR" | wc -l)" 1
  done <<'LIST'
internalMFA|on
internalMFA|yes
externalMFA|mandatory
enableMFABackupCodes|maybe
mfaIssuer|a:b
mfaAlgorithm|MD5
mfaDigits|7
mfaPeriod|14
mfaPeriod|301
mfaWindow|11
mfaBackupCodeCount|0
mfaMaxFailedAttempts|101
mfaLockoutMinutes|0
noSuchKey|1
LIST
  expect_exit 2 mfa --yes options set internalMFA ""
  expect_exit 2 mfa --yes options set internalMFA
  expect_exit 2 mfa --yes options set mfaDigits 7
  expect_contains "$ERR" "allowed: 6, 8"
  expect_exit 2 mfa --yes options set internalMFA sometimes
  expect_contains "$ERR" "Off, On (Required), On (Optional)"
  expect_eq "$(db_state)" "$before"
}

case_no_terminal_and_no_yes_refuses_and_changes_nothing() {
  mfa init >/dev/null
  local before
  before=$(db_state)
  expect_exit 2 mfa options set internalMFA required
  expect_contains "$ERR" "--yes"
  expect_contains "$ERR" "Off -> On (Required)"
  expect_eq "$OUT" ""
  expect_eq "$(db_state)" "$before"
}

case_terminal_answer_no_changes_nothing() {
  mfa init >/dev/null
  local before
  before=$(db_state)
  expect_exit 1 python3 "$TOOLS/pty_run.py" --answer n -- "$MFA_BIN" options set internalMFA required
  expect_contains "$OUT" "Change configuration options? [y/N]"
  expect_contains "$OUT" "Off -> On (Required)"
  expect_eq "$(db_state)" "$before"
  expect_exit 0 mfa options get internalMFA
  expect_eq "$OUT" "Off"
}

case_terminal_answer_yes_changes_it() {
  expect_exit 0 python3 "$TOOLS/pty_run.py" --answer y -- "$MFA_BIN" options set internalMFA required
  expect_contains "$OUT" "Change configuration options? [y/N]"
  expect_exit 0 mfa options get internalMFA
  expect_eq "$OUT" "On (Required)"
}

case_setting_the_same_value_asks_nothing_and_audits_nothing() {
  expect_exit 0 mfa options set mfaPeriod 30
  expect_contains "$ERR" "already 30"
  expect_exit 0 mfa audit --json
  expect_eq "$(json 'len(j)')" 0
}

case_set_reports_json_with_old_value() {
  expect_exit 0 mfa --json --yes options set externalMFA optional
  expect_eq "$(json 'j["key"]+"|"+j["old_value"]+"|"+j["value"]+"|"+str(j["changed"])')" \
    "externalMFA|Off|On (Optional)|True"
  expect_exit 0 mfa options set externalMFA required --json -y
  expect_eq "$(json 'j["users_to_enroll"]')" 0
}

case_messages_go_to_stderr_and_data_to_stdout() {
  expect_exit 0 mfa --yes options set mfaWindow 2
  expect_eq "$OUT" ""
  expect_contains "$ERR" "mfaWindow: 1 -> 2"
}

case_a_change_applies_to_the_next_process() {
  expect_exit 0 mfa -y options set mfaLockoutMinutes 30
  expect_exit 0 mfa options get mfaLockoutMinutes
  expect_eq "$OUT" "30"
  expect_eq "$(db_sql "SELECT value FROM options WHERE key = 'mfaLockoutMinutes'")" "30"
}

run_cases
