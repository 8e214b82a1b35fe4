#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Enrollment, login verification, backup codes and helpdesk, from outside,
# with codes computed by oathtool from what mfa printed.
source "$(dirname "$0")/lib.sh"

case_enroll_prints_uri_and_secret_and_confirm_activates() {
  setup_story
  mfa users add alice >/dev/null 2>&1
  expect_exit 0 mfa --json enroll alice
  expect_eq "$(json 'j["state"]')" pending
  local secret uri
  secret=$(json 'j["secret"]')
  uri=$(json 'j["uri"]')
  expect_eq "$uri" "otpauth://totp/MFA:alice?secret=$secret&issuer=MFA"
  expect_eq "$(python3 -c 'import base64,sys; s=sys.argv[1]; print(len(base64.b32decode(s + "=" * (-len(s) % 8))) * 8)' "$secret")" 160
  expect_exit 0 mfa status alice
  expect_eq "$OUT" enroll-required
  expect_exit 0 mfa --json enroll alice --confirm "$(code_for "$secret")"
  expect_eq "$(json 'j["state"]')" active
  expect_eq "$(json 'len(j["backup_codes"])')" 10
  expect_exit 0 mfa status alice
  expect_eq "$OUT" verify
}

case_confirm_with_a_wrong_code_keeps_pending_and_reenroll_replaces_secret() {
  setup_story
  mfa users add bob >/dev/null 2>&1
  expect_exit 0 mfa --json enroll bob
  local first second
  first=$(json 'j["secret"]')
  expect_exit 1 mfa enroll bob --confirm 000000
  expect_exit 0 mfa --json status bob
  expect_eq "$(json 'j["enrollment"]')" pending
  expect_exit 0 mfa --json enroll bob
  second=$(json 'j["secret"]')
  [ "$first" != "$second" ] || fail "re-enrolling kept the secret"
  expect_exit 1 mfa enroll bob --confirm "$(code_for "$first")"
  expect_exit 0 mfa enroll bob --confirm "$(code_for "$second")"
}

case_enroll_refusals_are_exit_4_and_unknown_is_3() {
  setup_story
  mfa users add sso --sso >/dev/null 2>&1
  mfa users add alice >/dev/null 2>&1
  expect_exit 4 mfa enroll sso
  expect_contains "$ERR" "SSO"
  mfa -y options set internalMFA off >/dev/null 2>&1
  expect_exit 4 mfa enroll alice
  expect_contains "$ERR" "Off"
  mfa -y options set internalMFA required >/dev/null 2>&1
  enroll_user alice
  expect_exit 4 mfa enroll alice
  expect_contains "$ERR" "already enrolled"
  expect_exit 3 mfa enroll nobody
  expect_exit 3 mfa --json enroll nobody
  expect_eq "$(json 'j["exit"]')" 3
  expect_exit 4 mfa enroll alice --confirm 123456
  expect_exit 2 mfa enroll
  expect_exit 2 mfa enroll alice --qr sixel
}

case_verify_accepts_once_and_reports_json() {
  setup_story
  mfa users add alice >/dev/null 2>&1
  enroll_user alice
  local code
  code=$(code_for "$SECRET")
  expect_exit 0 mfa --json verify alice "$code"
  expect_eq "$(json '(j["accepted"], j["method"], j["reason"], j["backup_codes_left"])')" "(True, 'totp', None, 10)"
  expect_eq "$(json 'j["drift_steps"] in (-1, 0)')" True
  expect_exit 1 mfa --json verify alice "$code"
  expect_eq "$(json '(j["accepted"], j["reason"], j["exit"])')" "(False, 'reused', 1)"
  expect_exit 0 mfa verify alice "$(code_for "$SECRET" 1)"
}

case_verify_reads_the_code_from_stdin() {
  setup_story
  mfa users add alice >/dev/null 2>&1
  enroll_user alice
  expect_exit 0 mfa verify alice <<<"$(code_for "$SECRET")"
  expect_exit 2 mfa verify alice </dev/null
  expect_exit 2 mfa verify alice ""
  expect_exit 0 mfa --json users show alice
  expect_eq "$(json 'j["failed_attempts"]')" 0
}

case_verify_refusals() {
  setup_story
  mfa users add pend >/dev/null 2>&1
  mfa users add none >/dev/null 2>&1
  mfa users add sso --sso >/dev/null 2>&1
  mfa enroll pend >/dev/null 2>&1
  expect_exit 3 mfa verify nobody 123456
  expect_exit 4 mfa verify pend 123456
  expect_exit 4 mfa verify none 123456
  expect_exit 4 mfa verify sso 123456
}

case_lockout_persists_across_processes_and_unlock_clears_it() {
  setup_story
  mfa -y options set mfaMaxFailedAttempts 3 >/dev/null 2>&1
  mfa users add alice >/dev/null 2>&1
  enroll_user alice
  expect_exit 1 mfa verify alice 000000
  expect_exit 1 mfa verify alice not-a-code
  expect_exit 1 mfa --json verify alice 999999
  expect_eq "$(json 'j["locked_until"] is not None')" True
  expect_exit 5 mfa --json verify alice "$(code_for "$SECRET")"
  expect_eq "$(json '(j["accepted"], j["reason"], j["exit"])')" "(False, 'locked', 5)"
  expect_exit 0 mfa status alice
  expect_eq "$OUT" locked
  expect_exit 0 mfa --actor helpdesk unlock alice --reason "called the desk"
  expect_exit 0 mfa verify alice "$(code_for "$SECRET")"
  expect_exit 0 mfa --json audit --user alice
  expect_eq "$(json '[(e["actor"], e["reason"]) for e in j if e["action"] == "unlock"]')" "[('helpdesk', 'called the desk')]"
}

case_backup_codes_single_use_normalised_disable_keeps_enable_restores() {
  setup_story
  mfa users add alice >/dev/null 2>&1
  enroll_user alice
  local codes=($BACKUP_CODES)
  expect_exit 0 mfa --json verify alice "$(tr 'a-z' 'A-Z' <<<"${codes[0]}")"
  expect_eq "$(json '(j["method"], j["backup_codes_left"])')" "('backup-code', 9)"
  expect_exit 1 mfa --json verify alice "${codes[0]}"
  expect_eq "$(json 'j["reason"]')" reused
  expect_exit 0 mfa verify alice "$(tr -d '-' <<<"${codes[1]}" | sed 's/./& /4')"
  mfa -y options set enableMFABackupCodes no >/dev/null 2>&1
  expect_exit 1 mfa --json verify alice "${codes[2]}"
  expect_eq "$(json 'j["reason"]')" backup-codes-disabled
  expect_exit 0 mfa --json backup-codes status alice
  expect_eq "$(json '(j["remaining"], j["used"], j["usable"])')" "(8, 2, False)"
  expect_exit 4 mfa backup-codes generate alice
  mfa -y options set enableMFABackupCodes yes >/dev/null 2>&1
  expect_exit 0 mfa --json backup-codes status alice
  expect_eq "$(json '(j["remaining"], j["used"], j["usable"])')" "(8, 2, True)"
  expect_exit 1 mfa verify alice "${codes[1]}"
  expect_exit 0 mfa verify alice "${codes[2]}"
}

case_backup_codes_generate_replaces_the_old_set() {
  setup_story
  mfa users add alice >/dev/null 2>&1
  enroll_user alice
  local old=($BACKUP_CODES) before
  # Unused codes would stop working: it asks, and without a terminal refuses.
  before=$(db_state)
  expect_exit 2 mfa backup-codes generate alice
  expect_contains "$ERR" "10 unused backup codes"
  expect_eq "$(db_state)" "$before"
  expect_exit 1 python3 "$TOOLS/pty_run.py" --answer n -- "$MFA_BIN" backup-codes generate alice
  expect_eq "$(db_state)" "$before"
  expect_exit 0 mfa -y backup-codes generate alice
  local new=($OUT)
  expect_eq "${#new[@]}" 10
  expect_exit 1 mfa verify alice "${old[0]}"
  expect_exit 0 mfa verify alice "${new[0]}"
  mfa users add bob >/dev/null 2>&1
  expect_exit 4 mfa backup-codes generate bob
  expect_exit 3 mfa backup-codes status nobody
}

case_reset_removes_everything_and_reenrolling_gives_a_new_secret() {
  setup_story
  mfa users add alice >/dev/null 2>&1
  enroll_user alice
  local old=$SECRET
  expect_exit 2 mfa reset alice
  expect_exit 0 mfa status alice
  expect_eq "$OUT" verify
  expect_exit 1 python3 "$TOOLS/pty_run.py" --answer n -- "$MFA_BIN" reset alice
  expect_exit 0 mfa -y --actor desk reset alice --reason "lost phone"
  expect_exit 0 mfa status alice
  expect_eq "$OUT" enroll-required
  expect_exit 0 mfa --json backup-codes status alice
  expect_eq "$(json 'j["remaining"]')" 0
  enroll_user alice
  [ "$SECRET" != "$old" ] || fail "the secret did not change"
  expect_exit 0 mfa --json audit --user alice
  expect_eq "$(json '[(e["actor"], e["reason"]) for e in j if e["action"] == "reset"]')" "[('desk', 'lost phone')]"
  expect_exit 3 mfa -y reset nobody
}

case_qr_on_a_terminal_by_default_not_when_piped_and_svg_decodes() {
  setup_story
  mfa users add alice >/dev/null 2>&1
  expect_exit 0 mfa enroll alice
  expect_not_contains "$OUT" "█"
  expect_contains "$OUT" "otpauth://totp/MFA:alice?"
  expect_exit 0 python3 "$TOOLS/pty_run.py" -- "$MFA_BIN" enroll alice
  expect_contains "$OUT" "█"
  expect_exit 0 mfa enroll alice --qr ansi
  expect_contains "$OUT" $'\033[107m'
  umask 022
  expect_exit 0 mfa enroll alice --qr utf8 --svg "$PWD/alice.svg"
  local uri
  uri=$(grep '^otpauth://' <<<"$OUT")
  expect_eq "$(file_mode alice.svg)" 600
  convert alice.svg alice.png
  expect_eq "$(zbarimg --raw -q alice.png)" "$uri"
  grep -v '^otpauth://\|^secret: ' <<<"$OUT" | python3 "$(dirname "$TOOLS")/peer/terminal_qr_to_pbm.py" utf8-ink >alice.pbm
  expect_eq "$(zbarimg --raw -q alice.pbm)" "$uri"
  expect_exit 0 mfa --json enroll alice --qr utf8
  json 'j["uri"]' >/dev/null
}

case_batch_enrolls_all_or_nobody_and_writes_safe_svg_names() {
  setup_story
  for u in alice bob "x/../evil" ".hidden"; do mfa users add "$u" >/dev/null 2>&1; done
  mfa users add sso --sso >/dev/null 2>&1
  printf 'alice\nbob\n\nnobody\n' >names.txt
  expect_exit 3 mfa enroll --batch names.txt
  expect_contains "$ERR" "line 4"
  printf 'alice\nsso\n' >names2.txt
  expect_exit 4 mfa --json enroll --batch - <names2.txt
  expect_eq "$(json 'j["exit"]')" 4
  expect_exit 0 mfa --json status alice
  expect_eq "$(json 'j["enrollment"]')" none
  printf 'alice\r\nbob\r\nx/../evil\r\n.hidden\r\n' >names.txt
  expect_exit 0 mfa enroll --batch names.txt --svg-dir "$PWD/qr"
  expect_eq "$(printf '%s\n' "$OUT" | wc -l)" 4
  expect_eq "$(printf '%s\n' "$OUT" | python3 -c 'import json,sys; print(",".join(json.loads(l)["user"] for l in sys.stdin))')" "alice,bob,x/../evil,.hidden"
  expect_eq "$(ls qr | sort | tr '\n' ' ')" "%2Ehidden.svg alice.svg bob.svg x%2F..%2Fevil.svg "
  [ ! -e evil.svg ] && [ ! -e qr/../evil.svg ] || fail "a file name escaped the folder"
  local uri
  uri=$(printf '%s\n' "$OUT" | sed -n 3p | python3 -c 'import json,sys; print(json.loads(sys.stdin.read())["uri"])')
  convert "qr/x%2F..%2Fevil.svg" evil.png
  expect_eq "$(zbarimg --raw -q evil.png)" "$uri"
  expect_eq "$(file_mode qr/alice.svg)" 600
}

case_impact_preview_counts_unenrolled_password_users() {
  mfa -y options set internalMFA optional >/dev/null 2>&1
  for u in a b c; do mfa users add $u >/dev/null 2>&1; done
  mfa users add s --sso >/dev/null 2>&1
  mfa users add e --external >/dev/null 2>&1
  enroll_user c
  expect_exit 0 mfa --json -y options set internalMFA required
  expect_eq "$(json 'j["users_to_enroll"]')" 2
  expect_exit 2 mfa options set externalMFA required
  expect_contains "$ERR" "1 password user of the external class has not enrolled"
}

case_wrong_or_missing_key_is_exit_6_and_changes_nothing() {
  setup_story
  mfa users add alice >/dev/null 2>&1
  enroll_user alice
  local before
  before=$(db_state)
  mfa --db "$PWD/other.db" --key-file "$PWD/other.key" init >/dev/null
  expect_exit 6 mfa --key-file "$PWD/other.key" verify alice "$(code_for "$SECRET")"
  mv mfa.key mfa.key.saved
  expect_exit 6 mfa verify alice "$(code_for "$SECRET")"
  expect_exit 6 mfa users add carol
  mv mfa.key.saved mfa.key
  expect_eq "$(db_state)" "$before"
}

run_cases
