#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Races between logins and the admin changes that decide them: every
# decision is made on what the write transaction sees, so a code revoked or
# forbidden by a change that committed first never works, parallel guesses
# never get past the lock, and a killed login never loses a used code.
source "$(dirname "$0")/lib.sh"

codes_of() { # the backup codes in $OUT (JSON), space separated
  python3 -c 'import json,sys; print(" ".join(json.loads(sys.stdin.read())["backup_codes"]))' <<<"$OUT"
}

audit_id() { # ACTION NEW_PREFIX: the newest matching audit row id, or 0
  db_sql "SELECT coalesce(max(id), 0) FROM audit WHERE action = '$1' AND new_value LIKE '$2%'"
}

case_a_backup_code_set_regenerated_during_a_login_never_accepts_the_old_code() {
  setup_story
  mfa -y options set mfaMaxFailedAttempts 0 >/dev/null 2>&1
  mfa users add alice >/dev/null 2>&1
  enroll_user alice
  # The last code of the set: the check before the lock hashes every row
  # first, which is the window the regeneration commits in.
  local old=${BACKUP_CODES##* } trial verify_rc raced=0
  for trial in $(seq 1 60); do
    ("$MFA_BIN" verify alice "$old" >/dev/null 2>&1; echo $? >verify.rc) &
    "$MFA_BIN" --json -y backup-codes generate alice >gen.json 2>/dev/null || fail "generate failed"
    wait
    verify_rc=$(cat verify.rc)
    OUT=$(cat gen.json)
    local used accepted_at generated_at
    used=$(db_sql 'SELECT count(used_at) FROM backup_codes')
    if [ "$verify_rc" -eq 0 ]; then
      raced=$((raced + 1))
      accepted_at=$(audit_id verify 'accepted (backup-code)')
      generated_at=$(audit_id backup-codes.generate '')
      [ "$accepted_at" -lt "$generated_at" ] || fail "trial $trial: the old code was accepted after the new set committed"
      db_sql "DELETE FROM audit WHERE id = $accepted_at"
    fi
    [ "$used" -eq 0 ] || fail "trial $trial: a code of the new set is marked used ($used)"
    old=$(codes_of | tr ' ' '\n' | tail -n 1)
  done
  echo "the old code won the race $raced of 60 times, each before the regeneration" >&2
}

case_backup_codes_forbidden_during_logins_are_never_accepted_after_the_change() {
  setup_story
  mfa -y options set mfaMaxFailedAttempts 0 >/dev/null 2>&1
  mfa -y options set mfaBackupCodeCount 20 >/dev/null 2>&1
  local user codes=() i
  for user in u1 u2 u3; do
    mfa users add $user >/dev/null 2>&1
    enroll_user $user
    for i in $BACKUP_CODES; do codes+=("$user $i"); done
  done
  [ "${#codes[@]}" -eq 60 ] || fail "expected 60 codes, got ${#codes[@]}"
  for i in "${!codes[@]}"; do
    # shellcheck disable=SC2086
    "$MFA_BIN" verify ${codes[$i]} >/dev/null 2>&1 &
    if [ "$i" -eq 20 ]; then
      # (Retried if the logins keep the database busy past the timeout.)
      ("$MFA_BIN" -y options set enableMFABackupCodes no >/dev/null 2>&1 \
        || "$MFA_BIN" -y options set enableMFABackupCodes no >/dev/null 2>&1) &
    fi
  done
  wait
  local changed_at late
  changed_at=$(db_sql "SELECT max(id) FROM audit WHERE action = 'options.set' AND new_value = 'No'")
  [ -n "$changed_at" ] || fail "the option change did not commit"
  late=$(db_sql "SELECT count(*) FROM audit WHERE action = 'verify' AND new_value = 'accepted (backup-code)' AND id > $changed_at")
  expect_eq "$late" 0
  # And the codes refused meanwhile are kept: allowing them again restores them.
  mfa -y options set enableMFABackupCodes yes >/dev/null 2>&1
  local accepted
  accepted=$(db_sql "SELECT count(*) FROM audit WHERE action = 'verify' AND new_value = 'accepted (backup-code)'")
  expect_eq "$(db_sql 'SELECT count(*) FROM backup_codes WHERE used_at IS NULL')" $((60 - accepted))
}

case_parallel_wrong_guesses_never_get_more_than_the_limit_evaluated() {
  setup_story
  mfa -y options set mfaMaxFailedAttempts 5 >/dev/null 2>&1
  mfa users add alice >/dev/null 2>&1
  enroll_user alice
  local wrong=000000 i
  [ "$(code_for "$SECRET")" = 000000 ] && wrong=111111
  rm -rf rc && mkdir rc
  for i in $(seq 1 16); do
    ("$MFA_BIN" verify alice "$wrong" >/dev/null 2>&1; echo $? >"rc/$i") &
  done
  wait
  expect_eq "$(cat rc/* | sort | tr '\n' ' ')" "1 1 1 1 1 5 5 5 5 5 5 5 5 5 5 5 "
  expect_exit 0 mfa --json users show alice
  expect_eq "$(json 'j["failed_attempts"]')" 5
  expect_eq "$(db_sql "SELECT count(*) FROM audit WHERE action = 'verify' AND new_value LIKE 'rejected%'")" 5
  expect_eq "$(db_sql "SELECT count(*) FROM audit WHERE action = 'verify' AND new_value LIKE 'refused%'")" 11
}

case_kill_9_at_random_points_of_logins_never_loses_a_used_code() {
  setup_story
  mfa -y options set mfaMaxFailedAttempts 0 >/dev/null 2>&1
  mfa -y options set mfaBackupCodeCount 20 >/dev/null 2>&1
  mfa users add alice >/dev/null 2>&1
  enroll_user alice
  local code pid rc accepted=() killed=0
  for code in $BACKUP_CODES; do
    "$MFA_BIN" verify alice "$code" >/dev/null 2>&1 &
    pid=$!
    sleep "0.0$((RANDOM % 6))"
    kill -9 $pid 2>/dev/null && killed=$((killed + 1))
    wait $pid 2>/dev/null
    rc=$?
    case $rc in
      0) accepted+=("$code") ;;
      137) ;;
      *) fail "verify exited $rc" ;;
    esac
  done
  echo "killed $killed of 20, ${#accepted[@]} accepted" >&2
  [ "$MFA_TEST_BACKEND" != sqlite ] || expect_eq "$(sqlite3 "$MFA_DB" 'PRAGMA integrity_check')" ok
  for code in "${accepted[@]}"; do
    expect_exit 1 mfa --json verify alice "$code"
    expect_eq "$(json 'j["reason"]')" reused
  done
  local used
  used=$(db_sql 'SELECT count(used_at) FROM backup_codes')
  [ "$used" -ge "${#accepted[@]}" ] || fail "$used codes used, ${#accepted[@]} accepted"
}

run_cases
