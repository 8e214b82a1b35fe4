#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# mfa users add/set/import/list/show/remove, from outside.
source "$(dirname "$0")/lib.sh"

case_add_show_list_and_set() {
  expect_exit 0 mfa users add alice --email alice@example.com
  expect_exit 0 mfa users add bob --external --sso
  expect_exit 4 mfa users add alice
  expect_contains "$ERR" "already exists"
  expect_exit 0 mfa --json users list
  expect_eq "$(json '[(u["name"], u["type"], u["auth"], u["email"], u["enrollment"]) for u in j]')" \
    "[('alice', 'internal', 'password', 'alice@example.com', 'none'), ('bob', 'external', 'sso', None, 'none')]"
  expect_exit 0 mfa --json users show bob
  expect_eq "$(json '(j["decision"], j["option"])')" "('none', 'Off')"
  expect_exit 0 mfa users set bob --internal --password --email bob@example.com
  expect_exit 0 mfa --json users show bob
  expect_eq "$(json '(j["type"], j["auth"], j["email"])')" "('internal', 'password', 'bob@example.com')"
  expect_exit 0 mfa users set bob --email ""
  expect_exit 0 mfa --json users show bob
  expect_eq "$(json 'j["email"]')" None
  expect_exit 2 mfa users set bob --sso --password
  expect_exit 2 mfa users set bob --email not-an-address
  expect_exit 3 mfa users set nobody --sso
  expect_exit 3 mfa users show nobody
  expect_exit 0 mfa users list --search ALI
  expect_eq "$(printf '%s\n' "$OUT" | wc -l)" 2
  expect_exit 0 mfa --json audit --user bob
  expect_eq "$(json '[e["action"] for e in j]')" "['users.set', 'users.set', 'users.set', 'users.set', 'users.add']"
}

case_odd_names_round_trip_and_bad_names_are_exit_2() {
  local long
  long=$(printf 'x%.0s' $(seq 1 256))
  for name in "O'Brien" '"quoted"' "Robert'); DROP TABLE users;--" "Zoë" "日本語" "a b" "$long"; do
    expect_exit 0 mfa users add -- "$name"
    expect_exit 0 mfa --json users show -- "$name"
    expect_eq "$(json 'j["name"]')" "$name"
  done
  expect_eq "$(db_sql 'SELECT count(*) FROM users')" 7
  expect_exit 2 mfa users add ""
  expect_exit 2 mfa users add "${long}y"
  expect_exit 2 mfa users add $'tab\there'
  expect_exit 2 mfa users add $'bell\a'
  expect_eq "$(db_sql 'SELECT count(*) FROM users')" 7
  expect_exit 0 mfa users list
  expect_contains "$OUT" "Zoë"
}

case_import_quoting_crlf_bom_from_stdin() {
  printf '\xef\xbb\xbfname,type,auth,email\r\n"Smith, Jo",external,sso,jo@example.com\r\nann,internal,password,\r\n' >users.csv
  expect_exit 0 mfa --json users import - <users.csv
  expect_eq "$(json 'j["added"]')" 2
  expect_exit 0 mfa --json users show "Smith, Jo"
  expect_eq "$(json '(j["type"], j["auth"], j["email"])')" "('external', 'sso', 'jo@example.com')"
}

case_import_is_all_or_nothing_and_names_the_line() {
  mfa init >/dev/null
  local before
  before=$(db_state)
  printf 'name,type,auth\na,internal,password\nb,internal,password\nc,staff,password\n' >bad.csv
  expect_exit 2 mfa users import bad.csv
  expect_contains "$ERR" "line 4"
  expect_contains "$ERR" "staff"
  expect_exit 2 mfa --json users import bad.csv
  expect_eq "$(json '(j["exit"], j["line"])')" "(2, 4)"
  expect_eq "$(db_state)" "$before"
  expect_exit 2 mfa users import missing.csv
  expect_contains "$ERR" "cannot read missing.csv"
}

case_remove_asks_and_removes_enrollment_and_codes() {
  mfa -y options set internalMFA required >/dev/null 2>&1
  mfa users add alice >/dev/null 2>&1
  enroll_user alice
  expect_exit 2 mfa users remove alice
  expect_exit 1 python3 "$TOOLS/pty_run.py" --answer n -- "$MFA_BIN" users remove alice
  expect_exit 0 mfa users show alice
  expect_exit 0 python3 "$TOOLS/pty_run.py" --answer y -- "$MFA_BIN" users remove alice
  expect_exit 3 mfa users show alice
  expect_eq "$(db_sql 'SELECT count(*) FROM enrollments') $(db_sql 'SELECT count(*) FROM backup_codes')" "0 0"
  expect_exit 3 mfa -y users remove alice
  expect_exit 0 mfa audit --user alice
  expect_contains "$OUT" "users.remove"
}

run_cases
