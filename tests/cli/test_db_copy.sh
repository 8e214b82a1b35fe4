#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# mfa db copy: a whole database into an empty one, on either backend, checked
# and audited; every user's login still works on the copy.
source "$(dirname "$0")/lib.sh"

# The case's database on the other side of a round trip: a fresh SQLite file,
# or on PostgreSQL a fresh schema of the same server.
fresh_target() { # NAME
  case "$MFA_DB" in
  postgres*) echo "${MFA_DB/search_path%3D/search_path%3D$1_}" ;;
  *) echo "$PWD/$1.db" ;;
  esac
}

case_a_thousand_users_round_trip_and_every_login_still_works() {
  setup_story
  seq -f 'user%04g' 1 1000 | { echo name; cat; } >users.csv
  mfa users import users.csv >/dev/null 2>&1 || fail "import failed"
  seq -f 'user%04g' 1 1000 | mfa --json enroll --batch - >batch.jsonl 2>/dev/null || fail "batch enroll failed"
  # Confirm each with the previous step's code (oathtool's), so the current step stays free.
  python3 - batch.jsonl >secrets.txt <<'PY'
import json, sys
for line in open(sys.argv[1]):
    j = json.loads(line)
    print(j["user"], j["secret"])
PY
  local user secret
  # Four at a time (the checks below too): a thousand processes one by one
  # take minutes under a sanitizer.
  split -n l/4 secrets.txt part.
  local part
  for part in part.*; do
    while read -r user secret; do
      mfa enroll "$user" --confirm "$(code_for "$secret" -1)" >/dev/null 2>&1 \
        || mfa enroll "$user" --confirm "$(code_for "$secret" -1)" >/dev/null 2>&1 || echo "$user" >>unconfirmed
    done <"$part" &
  done
  wait
  [ ! -s unconfirmed ] || fail "confirm failed for: $(head -3 unconfirmed)"
  # Through a new SQLite file, and back into a fresh one of the first kind.
  local middle="$PWD/middle.db" key=${MFA_KEY_FILE:-$PWD/mfa.key}
  expect_exit 0 mfa --json --key-file "$key" db copy --to "$middle"
  expect_eq "$(json 'j["users"], j["enrollments"], j["backup_codes"]')" "(1000, 1000, 10000)"
  local back
  back=$(fresh_target back)
  expect_exit 0 mfa --json --db "$middle" --key-file "$key" db copy --to "$back"
  # The same users, enrollments and options on every copy.
  local original copied
  original=$(mfa --json users list)
  expect_exit 0 mfa --json --db "$back" --key-file "$key" users list
  expect_eq "$OUT" "$original"
  expect_exit 0 mfa --json --db "$middle" --key-file "$key" options list
  copied=$OUT
  expect_eq "$(mfa --json options list)" "$copied"
  # Every login works on the copy: each user's current code, once.
  for part in part.*; do
    while read -r user secret; do
      mfa --db "$back" --key-file "$key" verify "$user" "$(code_for "$secret")" >/dev/null 2>&1 || echo "$user" >>refused
    done <"$part" &
  done
  wait
  expect_eq "$(cat refused 2>/dev/null | wc -l)" 0
  # The audit log came along, and says where the copy came from.
  expect_exit 0 mfa --json --db "$back" --key-file "$key" audit --action db.copy
  expect_eq "$(json 'len(j)')" 2
  expect_contains "$(json 'j[0]["new"]')" "copied from"
}

case_a_database_that_is_not_empty_is_refused_and_left_as_it_was() {
  mfa users add alice >/dev/null 2>&1
  local target key=${MFA_KEY_FILE:-$PWD/mfa.key}
  target=$(fresh_target other)
  mfa --db "$target" --key-file "$key" init >/dev/null 2>&1 || fail "init of the target failed"
  mfa --db "$target" --key-file "$key" users add bob >/dev/null 2>&1
  local before
  before=$(mfa --json --db "$target" --key-file "$key" users list)
  expect_exit 4 mfa --key-file "$key" db copy --to "$target"
  expect_contains "$ERR" "not empty"
  expect_eq "$(mfa --json --db "$target" --key-file "$key" users list)" "$before"
}

case_a_copy_under_another_key_is_refused() {
  mfa users add alice >/dev/null 2>&1
  local target
  target=$(fresh_target other)
  mfa --db "$target" --key-file "$PWD/other.key" init >/dev/null 2>&1 || fail "init of the target failed"
  expect_exit 6 mfa --key-file "${MFA_KEY_FILE:-$PWD/mfa.key}" db copy --to "$target"
  expect_contains "$ERR" "key"
  expect_exit 0 mfa --json --db "$target" --key-file "$PWD/other.key" users list
  expect_eq "$OUT" "[]"
}

case_copying_onto_itself_is_a_usage_error() {
  expect_exit 2 mfa db copy --to "$MFA_DB"
  expect_exit 2 mfa db copy
}

run_cases
