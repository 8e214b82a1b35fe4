#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# mfa enroll --import google-authenticator | users.oath | otpauth: files
# written by the tools themselves (Debian's google-authenticator, and
# pam_oath through pamtester under pam_wrapper), judged by oathtool's codes;
# all or nothing; import -> export round trips. Both backends.
source "$(dirname "$0")/lib.sh"

users_with() { # NAME...: password users
  local user
  for user in "$@"; do
    mfa users add "$user" >/dev/null 2>&1 || fail "users add $user"
  done
}

audit_of() { db_sql "SELECT target, old_value, new_value, reason FROM audit WHERE action = 'enroll.import' ORDER BY id"; }

# A google-authenticator file made by Debian's google-authenticator(1),
# non-interactively, in FILE; extra options are passed on.
google_file() {
  command -v google-authenticator >/dev/null \
    || skip "google-authenticator is not installed (Debian's libpam-google-authenticator)"
  local file=$1
  shift
  google-authenticator -f -q -s "$file" "$@" </dev/null >/dev/null 2>&1 || fail "google-authenticator failed"
  [ -s "$file" ] || fail "google-authenticator wrote no file"
}

enrollment_of() { # USER: state digits period, as users show and the table have them
  mfa --json users show "$1" >/dev/null 2>&1 || fail "users show $1"
  db_sql "SELECT e.state, e.digits, e.period FROM enrollments e JOIN users u ON u.id = e.user_id WHERE u.name = '$1'"
}

case_a_google_authenticator_file_keeps_its_secret_and_its_scratch_codes() {
  setup_story
  users_with alice bob
  google_file ga.txt -t -d -r 3 -R 30 -w 3
  local secret
  secret=$(head -1 ga.txt)
  expect_exit 0 mfa --json enroll --import google-authenticator ga.txt --user alice
  expect_eq "$(json 'j')" "{'imported': 1}"
  expect_eq "$(enrollment_of alice)" "active|6|30"
  # Nobody scans again: the phone's code (oathtool's, from the file's secret) works.
  expect_exit 0 mfa verify alice "$(code_for "$secret")"
  # Each scratch code is a backup code, once.
  local scratch
  scratch=$(grep -E '^[0-9]{8}$' ga.txt | head -1)
  expect_exit 0 mfa verify alice "$scratch"
  expect_contains "$OUT$ERR" "backup-code"
  expect_exit 1 mfa verify alice "$scratch"
  expect_eq "$(db_sql "SELECT count(*) FROM backup_codes b JOIN users u ON u.id = b.user_id
    WHERE u.name = 'alice' AND b.used_at IS NULL")" 4
  expect_eq "$(audit_of)" "alice|none|active|google-authenticator line 1, 5 scratch codes as backup codes"
  if db_sql "SELECT * FROM audit" | grep -q "$secret"; then fail "the secret is in the audit log"; fi
  # Another step size: the STEP_SIZE line.
  google_file gb.txt -t -D -u -w 3 -S 60 -e 0
  expect_exit 0 mfa enroll --import google-authenticator gb.txt --user bob
  expect_eq "$(enrollment_of bob)" "active|6|60"
  expect_exit 0 mfa verify bob "$(PERIOD=60 code_for "$(head -1 gb.txt)")"
}

case_a_counter_based_google_authenticator_file_is_refused_with_its_reason() {
  setup_story
  users_with alice
  google_file hotp.txt -c -w 3 -u
  local before
  before=$(db_state)
  expect_exit 2 mfa enroll --import google-authenticator hotp.txt --user alice
  expect_contains "$ERR" "line 3: a counter-based (HOTP) file"
  expect_eq "$(db_state)" "$before"
}

case_a_users_oath_file_that_pam_oath_itself_updated_imports_its_totp_tokens() {
  local wrapper pam_oath
  wrapper=$(/sbin/ldconfig -p 2>/dev/null | awk '/libpam_wrapper\.so / {print $NF; exit}')
  pam_oath=$(ls /lib/x86_64-linux-gnu/security/pam_oath.so /usr/lib/x86_64-linux-gnu/security/pam_oath.so 2>/dev/null | head -1)
  [ -n "$wrapper" ] || skip "pam_wrapper is not installed (Debian's libpam-wrapper)"
  [ -n "$pam_oath" ] || skip "pam_oath is not installed (Debian's libpam-oath)"
  command -v pamtester >/dev/null || skip "pamtester is not installed"
  setup_story
  users_with alice bob carol
  local a=3132333435363738393031323334353637383930 b=0a1b2c3d4e5f60718293a4b5c6d7e8f901234567
  (umask 077 && cat >users.oath <<EOF
# pam_oath's users file
HOTP/T30 alice - $a
HOTP/T60/8 bob 1234 $b
EOF
  )
  # pam_oath logs alice in once: it writes the file back its own way (tabs,
  # the last code and its time after the secret).
  mkdir services
  echo "auth required $pam_oath usersfile=$PWD/users.oath window=2" >services/oath
  env LD_PRELOAD="$wrapper" PAM_WRAPPER=1 PAM_WRAPPER_SERVICE_DIR="$PWD/services" \
    pamtester oath alice authenticate <<<"$(oathtool --totp "$a")" >out 2>&1 || fail "pam_oath refused alice: $(cat out)"
  grep -q "$(printf 'alice\t-\t%s\t' "$a")" users.oath || fail "pam_oath did not write the file back: $(cat users.oath)"
  expect_exit 0 mfa --json enroll --import users.oath users.oath
  expect_eq "$(json 'j')" "{'imported': 2}"
  expect_eq "$(enrollment_of alice)" "active|6|30"
  expect_eq "$(enrollment_of bob)" "active|8|60"
  # oathtool's codes from the original secrets.
  expect_exit 0 mfa verify alice "$(oathtool --totp -N "@$(($(date +%s) + 30))" "$a")"
  expect_exit 0 mfa verify bob "$(oathtool --totp -s 60s -d 8 "$b")"
  expect_eq "$(audit_of | cut -d'|' -f1,4)" $'alice|users.oath line 2\nbob|users.oath line 3'
}

case_a_users_oath_file_with_an_event_token_imports_nobody() {
  setup_story
  users_with alice bob
  (umask 077 && printf 'HOTP/T30\talice\t-\t%s\nHOTP bob - %s 0\n' \
    3132333435363738393031323334353637383930 3132333435363738393031323334353637383930 >users.oath)
  local before
  before=$(db_state)
  expect_exit 2 mfa enroll --import users.oath users.oath
  expect_contains "$ERR" "line 2: a counter-based (HOTP) token"
  expect_eq "$(db_state)" "$before"
  for line in "HOTP/T30/7 alice - 3132333435363738393031323334353637383930" "HOTP/T5 alice - 3132333435363738393031323334353637383930" \
    "HOTP/T30 alice - 31323" "HOTP/T30 alice - 31323334" "HOTP/T30 alice -" "TOTP alice - 3132333435363738393031323334353637383930"; do
    (umask 077 && echo "$line" >bad.oath)
    expect_exit 2 mfa enroll --import users.oath bad.oath
    expect_contains "$ERR" "line 1: "
  done
  expect_eq "$(db_state)" "$before"
}

case_otpauth_lines_round_trip_through_export_and_import() {
  three_enrollments
  expect_exit 0 mfa -y enroll --export otpauth
  local exported=$OUT
  (umask 077 && echo "$exported" >moving.txt)
  # Into another database with the same users: the same codes open there.
  local other
  if [ "$MFA_TEST_BACKEND" = sqlite ]; then
    other=(--db "$PWD/other/mfa.db")
  else
    other=(--db "$(pg_uri "${MFA_DB##*%3D}_o")")
  fi
  mfa "${other[@]}" init >/dev/null 2>&1 || fail "init of the other database"
  mfa "${other[@]}" -y options set internalMFA required >/dev/null 2>&1
  for user in alice bob pat; do mfa "${other[@]}" users add "$user" >/dev/null 2>&1; done
  expect_exit 0 mfa "${other[@]}" --json enroll --import otpauth moving.txt
  expect_eq "$(json 'j')" "{'imported': 2}"
  expect_exit 0 mfa "${other[@]}" verify alice "$(code_for "$ALICE" 1)"
  expect_exit 0 mfa "${other[@]}" verify bob "$(code_for "$BOB" 1)"
  expect_exit 0 mfa "${other[@]}" -y enroll --export otpauth
  expect_eq "$OUT" "$exported"
  # A name with a space is split at the last " otpauth://".
  expect_exit 0 mfa "${other[@]}" users add "ann lee"
  (umask 077 && echo "ann lee otpauth://totp/Acme:ann%20lee?secret=JBSWY3DPEHPK3PXPJBSWY3DP&issuer=Acme&period=45" >ann.txt)
  expect_exit 0 mfa "${other[@]}" enroll --import otpauth ann.txt
  expect_exit 0 mfa "${other[@]}" verify "ann lee" "$(PERIOD=45 code_for JBSWY3DPEHPK3PXPJBSWY3DP)"
}

case_an_import_is_all_or_nothing_and_names_the_line() {
  setup_story
  users_with alice bob
  mfa users add carol --sso >/dev/null 2>&1
  enroll_user bob
  local good="alice otpauth://totp/Acme:alice?secret=JBSWY3DPEHPK3PXPJBSWY3DP&issuer=Acme"
  local before
  before=$(db_state)
  (umask 077 && printf '%s\nzed otpauth://totp/Acme:zed?secret=JBSWY3DPEHPK3PXPJBSWY3DP\n' "$good" >f)
  expect_exit 3 mfa enroll --import otpauth f
  expect_contains "$ERR" "line 2: "
  expect_contains "$ERR" "zed"
  (umask 077 && printf '%s\ncarol otpauth://totp/Acme:c?secret=JBSWY3DPEHPK3PXPJBSWY3DP\n' "$good" >f)
  expect_exit 4 mfa enroll --import otpauth f
  expect_contains "$ERR" "line 2: user 'carol' signs in with SSO"
  (umask 077 && printf '%s\n\nbob otpauth://totp/Acme:b?secret=JBSWY3DPEHPK3PXPJBSWY3DP\n' "$good" >f)
  expect_exit 4 mfa --json enroll --import otpauth f
  expect_contains "$(json 'j["error"]')" "line 3: user 'bob' is already enrolled"
  expect_eq "$(json 'j["exit"]')" 4
  (umask 077 && printf '%s\n%s\n' "$good" "$good" >f)
  expect_exit 2 mfa enroll --import otpauth f
  expect_contains "$ERR" "line 2: user 'alice' is also on line 1"
  (umask 077 && printf '%s\nalice otpauth://hotp/Acme:a?secret=JBSWY3DPEHPK3PXP&counter=1\n' "$good" >f)
  expect_exit 2 mfa enroll --import otpauth f
  expect_contains "$ERR" "line 2: "
  (umask 077 && printf '%s\nalice\001 otpauth://totp/A:a?secret=JBSWY3DPEHPK3PXP\n' "$good" >f)
  expect_exit 2 mfa enroll --import otpauth f
  expect_contains "$ERR" "line 2: a control character"
  (umask 077 && printf 'alice otpauth://totp/A:a?secret=JBSWY3DP\n' >f)
  expect_exit 2 mfa enroll --import otpauth f
  expect_contains "$ERR" "shorter than 80 bits"
  : >empty
  expect_exit 2 mfa enroll --import otpauth empty
  expect_contains "$ERR" "holds no enrollment"
  expect_eq "$(db_state)" "$before"
}

case_a_pending_enrollment_is_replaced_and_sso_never_imported() {
  setup_story
  users_with alice
  mfa enroll alice >/dev/null 2>&1 || fail "enroll alice"
  (umask 077 && echo "alice otpauth://totp/Acme:alice?secret=JBSWY3DPEHPK3PXPJBSWY3DP&digits=8&algorithm=SHA256" >f)
  expect_exit 0 mfa enroll --import otpauth f
  expect_eq "$(enrollment_of alice)" "active|8|30"
  expect_exit 0 mfa verify alice "$(oathtool --totp=sha256 -d 8 -b JBSWY3DPEHPK3PXPJBSWY3DP)"
  expect_eq "$(audit_of | cut -d'|' -f1-3)" "alice|pending|active"
}

case_scratch_codes_are_bounded_and_steps_in_the_future_are_not_taken_as_used() {
  setup_story
  users_with alice bob
  local before
  before=$(db_state)
  (umask 077 && { echo JBSWY3DPEHPK3PXPJBSWY3DP; echo '" TOTP_AUTH'; for i in $(seq 10000001 10000011); do echo "$i"; done; } >many)
  expect_exit 2 mfa enroll --import google-authenticator many --user alice
  expect_contains "$ERR" "line 13: more than 10 scratch codes"
  (umask 077 && printf 'JBSWY3DPEHPK3PXPJBSWY3DP\n12345678\n87654321\n12345678\n' >twice)
  expect_exit 2 mfa enroll --import google-authenticator twice --user alice
  expect_contains "$ERR" "line 4: the scratch code of line 2 again"
  expect_eq "$(db_state)" "$before"
  # DISALLOW_REUSE: a step already used is taken as used; one in the far
  # future (which would make every code "reused") is not.
  local now_step=$(($(date +%s) / 30))
  (umask 077 && printf 'JBSWY3DPEHPK3PXPJBSWY3DP\n" DISALLOW_REUSE %s 9223372036854775807\n" TOTP_AUTH\n' "$now_step" >reuse)
  expect_exit 0 mfa enroll --import google-authenticator reuse --user alice
  expect_exit 1 mfa verify alice "$(oathtool --totp -b -N "@$((now_step * 30))" JBSWY3DPEHPK3PXPJBSWY3DP)"
  expect_contains "$ERR" "reused"
  expect_exit 0 mfa verify alice "$(code_for JBSWY3DPEHPK3PXPJBSWY3DP 1)"
  # A users.oath PIN is not kept, and the command says so.
  (umask 077 && echo "HOTP/T30 bob 4321 3132333435363738393031323334353637383930" >pin.oath)
  expect_exit 0 mfa enroll --import users.oath pin.oath
  expect_contains "$ERR" "1 users.oath line had a PIN, which mfa does not keep"
}

case_usage_mistakes_are_exit_2_and_change_nothing() {
  setup_story
  users_with alice
  (umask 077 && printf 'JBSWY3DPEHPK3PXPJBSWY3DP\n" TOTP_AUTH\n' >ga)
  local before
  before=$(db_state)
  expect_exit 2 mfa enroll --import google-authenticator ga
  expect_contains "$ERR" "--user NAME"
  expect_exit 2 mfa enroll --import otpauth ga --user alice
  expect_exit 2 mfa enroll --import yubikey ga
  expect_exit 2 mfa enroll --import otpauth
  expect_exit 2 mfa enroll --import otpauth missing.txt
  expect_contains "$ERR" "missing.txt"
  expect_exit 2 mfa enroll --import otpauth ga --confirm 123456
  expect_exit 3 mfa enroll --import google-authenticator ga --user nobody
  (umask 077 && printf 'JBSWY3DPEHPK3PXPJBSWY3DP\n" FANCY_OPTION 1\n' >gx)
  expect_exit 2 mfa enroll --import google-authenticator gx --user alice
  expect_contains "$ERR" "line 2: an option line mfa does not know (FANCY_OPTION)"
  (umask 077 && printf 'JBSWY3DPEHPK3PXPJBSWY3DP\n1234567\n' >gx)
  expect_exit 2 mfa enroll --import google-authenticator gx --user alice
  expect_contains "$ERR" "line 2: neither an option line nor an 8-digit scratch code"
  expect_eq "$(db_state)" "$before"
  # From standard input.
  expect_exit 0 mfa enroll --import google-authenticator - --user alice <ga
}

run_cases
