#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# users import as a provisioning script runs it: columns by header name,
# repeatable with --update, --dry-run, every bad row named.
source "$(dirname "$0")/lib.sh"

case_columns_are_found_by_header_name_in_any_order() {
  mfa init >/dev/null
  printf 'Email,Auth,NAME,type\nann@example.com,sso,ann,external\n,password,bob,internal\n' >users.csv
  expect_exit 0 mfa --json users import users.csv
  expect_eq "$(json '(j["added"], j["updated"], j["unchanged"], j["dry_run"])')" "(2, 0, 0, False)"
  expect_exit 0 mfa --json users list
  expect_eq "$(json '[(u["name"], u["type"], u["auth"], u["email"]) for u in j]')" \
    "[('ann', 'external', 'sso', 'ann@example.com'), ('bob', 'internal', 'password', None)]"
}

case_only_a_name_column_gives_the_defaults() {
  mfa init >/dev/null
  printf 'name\ncarol\n' >users.csv
  expect_exit 0 mfa users import users.csv
  expect_contains "$ERR" "1 added, 0 updated, 0 unchanged"
  expect_exit 0 mfa --json users show carol
  expect_eq "$(json '(j["type"], j["auth"], j["email"])')" "('internal', 'password', None)"
}

case_unknown_columns_are_ignored_with_a_warning_naming_them() {
  mfa init >/dev/null
  printf 'name,department,type,cost centre\nann,sales,external,42\n' >users.csv
  expect_exit 0 mfa --json users import users.csv
  expect_contains "$ERR" "warning: ignoring unknown columns 'department', 'cost centre'"
  expect_eq "$(json 'j["added"]')" 1
  expect_exit 0 mfa --json users show ann
  expect_eq "$(json 'j["type"]')" external
}

case_a_header_without_name_or_with_a_column_twice_is_refused() {
  mfa init >/dev/null
  local before
  before=$(db_state)
  printf 'user,type\nann,internal\n' >users.csv
  expect_exit 2 mfa users import users.csv
  expect_contains "$ERR" "line 1: the header has no name column"
  printf 'name,type,Type\nann,internal,external\n' >users.csv
  expect_exit 2 mfa users import users.csv
  expect_contains "$ERR" "line 1: the column 'type' appears twice"
  expect_eq "$(db_state)" "$before"
}

case_a_second_run_is_refused_without_update_and_counted_with_it() {
  mfa init >/dev/null
  printf 'name,type,auth,email\nann,internal,password,ann@example.com\nbob,external,sso,\n' >users.csv
  expect_exit 0 mfa users import users.csv
  local before
  before=$(db_state)
  expect_exit 4 mfa users import users.csv
  expect_contains "$ERR" "line 2: user 'ann' already exists"
  expect_contains "$ERR" "line 3: user 'bob' already exists"
  expect_eq "$(db_state)" "$before"
  # The same file again with --update changes nothing and says so.
  expect_exit 0 mfa --json users import --update users.csv
  expect_eq "$(json '(j["added"], j["updated"], j["unchanged"])')" "(0, 0, 2)"
  expect_eq "$(db_state)" "$before"
  # A changed row is updated, a new one added, and each is audited once.
  printf 'name,type,auth,email\nann,external,password,ann@example.org\nbob,external,sso,\ncarol,internal,password,\n' >users.csv
  expect_exit 0 mfa --json users import --update users.csv
  expect_eq "$(json '(j["added"], j["updated"], j["unchanged"])')" "(1, 1, 1)"
  expect_exit 0 mfa --json users show ann
  expect_eq "$(json '(j["type"], j["email"])')" "('external', 'ann@example.org')"
  expect_exit 0 mfa --json audit
  expect_eq "$(json '[(e["target"], e["old"], e["new"]) for e in j[::-1] if e["action"] == "users.import"]')" \
    "[('ann', None, 'internal, password, ann@example.com'), ('bob', None, 'external, sso'), ('ann', 'internal, password, ann@example.com', 'external, password, ann@example.org'), ('carol', None, 'internal, password')]"
}

case_update_keeps_fields_whose_column_is_left_out() {
  mfa init >/dev/null
  expect_exit 0 mfa users add ann --external --sso --email ann@example.com
  printf 'name,email\nann,ann@example.org\n' >users.csv
  expect_exit 0 mfa --json users import --update users.csv
  expect_eq "$(json 'j["updated"]')" 1
  expect_exit 0 mfa --json users show ann
  expect_eq "$(json '(j["type"], j["auth"], j["email"])')" "('external', 'sso', 'ann@example.org')"
}

case_dry_run_checks_everything_and_writes_nothing() {
  mfa init >/dev/null
  expect_exit 0 mfa users add ann
  local before
  before=$(db_state)
  printf 'name,type\nann,external\nbob,internal\n' >users.csv
  expect_exit 0 mfa --json users import --update --dry-run users.csv
  expect_eq "$(json '(j["added"], j["updated"], j["unchanged"], j["dry_run"])')" "(1, 1, 0, True)"
  expect_eq "$(db_state)" "$before"
  expect_exit 0 mfa users import --dry-run --update users.csv
  expect_contains "$ERR" "Dry run, nothing was written; the import would give 1 added, 1 updated, 0 unchanged"
  # Without --update the existing user is a bad row, dry run or not.
  expect_exit 4 mfa users import --dry-run users.csv
  expect_contains "$ERR" "line 2: user 'ann' already exists"
  printf 'name,type\nbob,staff\n' >bad.csv
  expect_exit 2 mfa --json users import --dry-run bad.csv
  expect_eq "$(json '(j["dry_run"], j["errors"])')" "(True, [{'line': 2, 'error': \"type must be internal or external, not 'staff'\"}])"
  expect_eq "$(db_state)" "$before"
}

case_every_bad_row_is_reported_with_its_line_and_nothing_is_imported() {
  mfa init >/dev/null
  local before
  before=$(db_state)
  printf 'name,type,auth,email\nok,internal,password,\nb,staff,password,\nc,internal,kerberos,\nok,internal,password,\n,internal,password,\nf,internal,password,nope\ng,internal\n' >bad.csv
  expect_exit 2 mfa users import bad.csv
  expect_contains "$ERR" "line 3: type must be internal or external, not 'staff'"
  expect_contains "$ERR" "line 4: auth must be password or sso, not 'kerberos'"
  expect_contains "$ERR" "line 5: user 'ok' appears twice (first on line 2)"
  expect_contains "$ERR" "line 6: a user name cannot be empty"
  expect_contains "$ERR" "line 7: 'nope' is not an e-mail address"
  expect_contains "$ERR" "line 8: expected 4 fields, found 2"
  expect_contains "$ERR" "mfa: error: 6 bad rows; nothing was imported"
  expect_exit 2 mfa --json users import bad.csv
  expect_eq "$(json '(j["exit"], j["line"], [e["line"] for e in j["errors"]], j["added"])')" "(2, 3, [3, 4, 5, 6, 7, 8], 0)"
  expect_eq "$(db_state)" "$before"
}

case_an_existing_user_among_malformed_rows_is_exit_2_and_alone_exit_4() {
  mfa init >/dev/null
  expect_exit 0 mfa users add ann
  printf 'name,type\nann,internal\nbob,staff\n' >bad.csv
  expect_exit 2 mfa --json users import bad.csv
  expect_eq "$(json '[e["line"] for e in j["errors"]]')" "[2, 3]"
  printf 'name,type\nann,internal\nbob,internal\n' >bad.csv
  expect_exit 4 mfa --json users import bad.csv
  expect_eq "$(json '(j["exit"], j["error"])')" "(4, \"line 2: user 'ann' already exists (--update updates existing users)\")"
  expect_exit 3 mfa users show bob
}

case_at_most_20_bad_rows_are_listed_but_all_are_counted() {
  mfa init >/dev/null
  { echo name,type; for i in $(seq 1 30); do echo "u$i,staff"; done; } >bad.csv
  expect_exit 2 mfa users import bad.csv
  expect_eq "$(grep -c '^line ' err)" 20
  expect_contains "$ERR" "line 21: type must be"
  expect_not_contains "$ERR" "line 22:"
  expect_contains "$ERR" "30 bad rows (the first 20 shown); nothing was imported"
  expect_exit 2 mfa --json users import bad.csv
  expect_eq "$(json 'len(j["errors"])')" 20
  expect_eq "$(db_sql 'SELECT count(*) FROM users')" 0
}

case_a_folder_is_a_usage_error() {
  mfa init >/dev/null
  mkdir folder
  expect_exit 2 mfa users import folder
  expect_contains "$ERR" "cannot read folder: Is a directory"
}

case_a_large_import_is_streamed_and_counted() {
  mfa init >/dev/null
  python3 -c '
import sys
w = sys.stdout.write
w("email,name\n")
for i in range(20000):
    w("u%d@example.com,user%d\n" % (i, i))' >big.csv
  expect_exit 0 mfa --json users import - <big.csv
  expect_eq "$(json 'j["added"]')" 20000
  expect_exit 0 mfa --json users import --update big.csv
  expect_eq "$(json '(j["added"], j["unchanged"])')" "(0, 20000)"
}

case_an_empty_type_or_auth_cell_is_the_default_or_unchanged() {
  expect_exit 0 mfa users add ann --external --sso
  printf 'name,type,auth\nann,,\nbea, ,\n' >users.csv
  expect_exit 0 mfa --json users import --update users.csv
  expect_eq "$(json '(j["added"], j["unchanged"])')" "(1, 1)"
  expect_exit 0 mfa --json users show ann
  expect_eq "$(json '(j["type"], j["auth"])')" "('external', 'sso')"
  expect_exit 0 mfa --json users show bea
  expect_eq "$(json '(j["type"], j["auth"])')" "('internal', 'password')"
  # A cell that is not empty must still be a value.
  printf 'name,type\ncy,intern\n' >bad.csv
  expect_exit 2 mfa users import bad.csv
  expect_contains "$ERR" "type must be internal or external"
}

run_cases
