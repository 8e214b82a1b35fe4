#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Hostile text: no control character reaches the terminal or the audit log,
# names are trimmed on every path, and odd input gets one clear line.
source "$(dirname "$0")/lib.sh"

# expect_no_control FILE: no control byte in FILE but the line ends.
expect_no_control() {
  if tr -d '\n' <"$1" | LC_ALL=C grep -q '[[:cntrl:]]'; then
    fail "control character in $1: $(cat -A "$1")"
  fi
}

expect_lines() { # FILE N
  expect_eq "$(wc -l <"$1")" "$2"
}

case_verify_echo_of_a_name_cannot_forge_a_line() {
  mfa init >/dev/null
  expect_exit 3 mfa verify $'x\e[2J\nmfa: accepted (totp)' 123456
  expect_no_control err
  expect_lines err 1
  expect_contains "$ERR" 'no such user: x\x1b[2J\nmfa: accepted (totp)'
  # JSON stays exact.
  expect_exit 3 mfa --json verify $'x\e[2J\nmfa: accepted (totp)' 123456
  expect_eq "$(json 'j["error"] == "no such user: x\x1b[2J\nmfa: accepted (totp)"')" True
}

case_actor_with_a_control_character_is_refused_from_flag_and_environment() {
  mfa init >/dev/null
  local before
  before=$(db_state)
  expect_exit 2 mfa --actor $'desk\n2026-01-01T00:00:00Z  root' users add u
  expect_contains "$ERR" "actor"
  expect_no_control err
  expect_exit 2 env MFA_ACTOR=$'\e[2J' "$MFA_BIN" users add u
  expect_exit 2 env SUDO_USER=$'desk\rroot' "$MFA_BIN" users add u
  expect_exit 2 mfa --actor $'rtl\u202e' users add u
  expect_eq "$(db_state)" "$before"
  expect_exit 0 mfa --actor "Zoë Desk" users add u
}

case_reason_with_a_control_character_is_refused() {
  mfa init >/dev/null
  mfa users add u >/dev/null 2>&1
  local before
  before=$(db_state)
  expect_exit 2 mfa -y reset u --reason $'lost phone\n2026-01-01  root  reset'
  expect_contains "$ERR" "reason"
  expect_no_control err
  expect_exit 2 mfa unlock u --reason $'\e]0;owned\a'
  expect_eq "$(db_state)" "$before"
  expect_exit 0 mfa unlock u --reason "ticket #42"
}

case_stored_control_characters_are_escaped_in_every_output() {
  mfa init >/dev/null
  # As an older version, or another program, may have stored them.
  local chr=char # SQLite's; PostgreSQL's is chr
  [ "$MFA_TEST_BACKEND" = sqlite ] || chr=chr
  db_sql "INSERT INTO users (name, type, auth, email, created_at)
          VALUES ('evil' || $chr(27) || '[2J' || $chr(10) || 'x  internal', 'internal', 'password',
                  'a' || $chr(13) || '@x', 0);
          INSERT INTO audit (at, actor, action, target_kind, target, reason)
          VALUES (0, 'desk' || $chr(10) || 'root', 'unlock', 'user', 'u', 'why' || $chr(27) || '[31m')"
  expect_exit 0 mfa users list
  expect_no_control out
  expect_lines out 2
  expect_contains "$OUT" 'evil\x1b[2J\nx  internal'
  expect_contains "$OUT" 'a\r@x'
  expect_exit 0 mfa audit
  expect_no_control out
  expect_lines out 2
  expect_contains "$OUT" 'desk\nroot'
  expect_contains "$OUT" 'why\x1b[31m'
  expect_exit 0 mfa users names
  expect_no_control out
  expect_lines out 1
  expect_exit 0 mfa users show $'evil\e[2J\nx  internal'
  expect_no_control out
  expect_exit 0 mfa -y users remove $'evil\e[2J\nx  internal'
  expect_no_control err
  expect_contains "$ERR" "Removed user 'evil\\x1b[2J\\nx  internal'"
}

case_csv_fields_are_echoed_escaped() {
  mfa init >/dev/null
  printf 'name,type,auth\nalice,inter\033[2Jnal,password\n' >users.csv
  expect_exit 2 mfa users import users.csv
  expect_no_control err
  expect_lines err 1
  expect_contains "$ERR" "line 2: type must be internal or external, not 'inter\\x1b[2Jnal'"
}

case_names_are_trimmed_on_every_path() {
  mfa init >/dev/null
  setup_story
  expect_exit 0 mfa users add " y "
  expect_eq "$(db_sql "SELECT '[' || name || ']' FROM users")" "[y]"
  expect_exit 4 mfa users add "y  "
  printf 'name,type,auth\nalice ,internal,password\n" bob",external,password\n' >users.csv
  expect_exit 0 mfa users import users.csv
  expect_eq "$(db_sql "SELECT '[' || name || ']' FROM users ORDER BY name" | paste -sd ' ')" \
    "[alice] [bob] [y]"
  expect_exit 0 mfa --json users show " y"
  expect_eq "$(json 'j["name"]')" y
  expect_exit 0 mfa users set "y " --email y@example.com
  expect_exit 0 mfa --json status " y "
  expect_eq "$(json '(j["user"], j["decision"])')" "('y', 'enroll-required')"
  enroll_user " y "
  expect_exit 0 mfa --json verify " y " "$(code_for "$SECRET")"
  expect_eq "$(json '(j["user"], j["accepted"])')" "('y', True)"
  expect_exit 0 mfa --json backup-codes status " y "
  expect_eq "$(json 'j["user"]')" y
  expect_exit 0 mfa -y --json backup-codes generate " y "
  expect_eq "$(json 'j["user"]')" y
  expect_exit 0 mfa unlock " y "
  expect_exit 0 mfa -y reset " y "
  expect_exit 0 mfa --json enroll --batch - <<<" y "
  expect_eq "$(json 'j["user"]')" y
  expect_exit 0 mfa --json audit --user "  y "
  expect_eq "$(json 'sorted(set(e["target"] for e in j))')" "['y']"
  expect_contains "$(json '[e["action"] for e in j]')" "'reset'"
  expect_exit 0 mfa -y users remove " y "
  expect_exit 3 mfa users show y
}

case_a_name_with_a_bidi_override_is_refused() {
  mfa init >/dev/null
  local before
  before=$(db_state)
  expect_exit 2 mfa users add $'admin\u202egpj.exe'
  expect_contains "$ERR" 'admin\u202egpj.exe'
  expect_no_control err
  expect_exit 2 mfa users add $'zero\u200bwidth'
  printf 'name,type,auth\n%s,internal,password\n' $'rtl\u202e' >users.csv
  expect_exit 2 mfa users import users.csv
  expect_contains "$ERR" "line 2:"
  expect_eq "$(db_state)" "$before"
}

case_nfc_and_nfd_twins_are_two_users_shown_differently() {
  mfa init >/dev/null
  expect_exit 0 mfa users add $'Zo\u00eb'
  expect_exit 0 mfa users add $'Zoe\u0308'
  expect_exit 0 mfa users list
  expect_lines out 3
  expect_contains "$OUT" $'Zo\u00eb  '
  expect_contains "$OUT" 'Zoe\u0308'
  expect_exit 0 mfa --json users list
  expect_eq "$(json '[u["name"].encode().hex() for u in j]')" "['5a6f65cc88', '5a6fc3ab']"
  # Completion reads the names back: they are given as they are.
  expect_exit 0 mfa users names
  expect_eq "$OUT" $'Zoë
Zoë'
}

case_search_wildcards_match_literally() {
  mfa init >/dev/null
  for name in "100%" "a_b" "axb" "plain"; do
    mfa users add "$name" >/dev/null 2>&1
  done
  expect_exit 0 mfa --json users list --search %
  expect_eq "$(json '[u["name"] for u in j]')" "['100%']"
  expect_exit 0 mfa --json users list --search _
  expect_eq "$(json '[u["name"] for u in j]')" "['a_b']"
  expect_exit 0 mfa --json options list --search %
  expect_eq "$(json 'len(j)')" 0
  expect_exit 0 mfa --json options list --search _
  expect_eq "$(json 'len(j)')" 0
  expect_exit 0 mfa --json options list --search mfa
  expect_eq "$(json 'len(j) > 0')" True
}

case_very_long_arguments_get_one_clear_line() {
  mfa init >/dev/null
  local long
  long=$(head -c 120000 /dev/zero | tr '\0' x)
  expect_exit 2 mfa users add "$long"
  expect_contains "$ERR" "a user name is at most 256 characters (this one has 120000)"
  expect_exit 3 mfa users show "$long"
  expect_lines err 1
  expect_contains "$ERR" "bytes left out"
  [ "$(wc -c <err)" -lt 2000 ] || fail "the error line is $(wc -c <err) bytes long"
  expect_exit 0 mfa users list --search "$long"
  expect_exit 2 mfa unlock nobody --reason "$(printf '%s\001' "$long")"
  [ "$(wc -c <err)" -lt 2000 ] || fail "the error line is $(wc -c <err) bytes long"
  python3 -c 'import sys; sys.stdout.write("name,type,auth\nok,internal,password\n" + "y" * (1 << 20) + ",internal,password\n")' >big.csv
  expect_exit 2 mfa users import big.csv
  expect_contains "$ERR" "line 3: a user name is at most 256 characters (this one has 1048576)"
  expect_eq "$(db_sql 'SELECT count(*) FROM users')" 0
}

case_a_nul_in_csv_is_a_bad_row_with_its_line() {
  mfa init >/dev/null
  printf 'name,type,auth\nok,internal,password\nb\0d,internal,password\n' >users.csv
  expect_exit 2 mfa --json users import users.csv
  expect_eq "$(json '(j["line"], j["error"].startswith("line 3: a NUL character"))')" "(3, True)"
  expect_eq "$(db_sql 'SELECT count(*) FROM users')" 0
  # A UTF-16 file is full of them: it stops at the first line.
  printf 'name,type,auth\n' | iconv -t UTF-16 >utf16.csv
  expect_exit 2 mfa users import utf16.csv
  expect_contains "$ERR" "line 1: a NUL character"
}

case_a_bom_and_crlf_are_accepted_with_names_trimmed() {
  mfa init >/dev/null
  printf '\xef\xbb\xbfname,type,auth\r\n alice ,internal,password\r\nbob,external,sso\r\n' >users.csv
  expect_exit 0 mfa --json users import users.csv
  expect_eq "$(json 'j["added"]')" 2
  expect_exit 0 mfa --json users list
  expect_eq "$(json '[u["name"] for u in j]')" "['alice', 'bob']"
}

run_cases
