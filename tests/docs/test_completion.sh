#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The shell completions, driven for real where the shell allows it.
source "$(dirname "$0")/../cli/lib.sh"
: "${MFA_SOURCE_DIR:?}"
COMPLETIONS=$MFA_SOURCE_DIR/completions
BIN_DIR=$(dirname "$MFA_BIN")

# bash_complete WORD...: the completions bash offers for the last word.
bash_complete() {
  PATH="$BIN_DIR:$PATH" bash -c '
    source "$1"; shift
    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
    _mfa
    printf "%s\n" "${COMPREPLY[@]}"' _ "$COMPLETIONS/mfa.bash" "$@"
}

case_bash_completes_commands_keys_values_and_flags() {
  expect_eq "$(bash_complete mfa op)" options
  expect_eq "$(bash_complete mfa b)" backup-codes
  expect_eq "$(bash_complete mfa options s)" set
  expect_eq "$(bash_complete mfa options set internalMFA "" | tr '\n' ' ')" "off required optional "
  expect_eq "$(bash_complete mfa options set ENABLEMFABACKUPCODES "" | tr '\n' ' ')" "yes no "
  expect_eq "$(bash_complete mfa options get mfaL)" mfaLockoutMinutes
  expect_eq "$(bash_complete mfa enroll alice --qr "" | tr '\n' ' ')" "utf8 ansi none "
  expect_eq "$(bash_complete mfa audit --l)" --limit
}

case_bash_completes_user_names_live_from_the_database() {
  mfa users add alice >/dev/null 2>&1
  mfa users add "bob smith" >/dev/null 2>&1
  mfa users add carol >/dev/null 2>&1
  expect_eq "$(bash_complete mfa verify "" | tr '\n' '|')" "alice|bob smith|carol|"
  expect_eq "$(bash_complete mfa reset c)" carol
  # --db on the line is honoured.
  mfa --db "$PWD/other.db" init >/dev/null 2>&1
  mfa --db "$PWD/other.db" users add zed >/dev/null 2>&1
  expect_eq "$(bash_complete mfa --db "$PWD/other.db" status "")" zed
}

case_user_name_completion_creates_no_database() {
  expect_eq "$(MFA_DB="$PWD/none/mfa.db" bash_complete mfa verify "")" ""
  [ ! -e none ] || fail "completion created $PWD/none"
  expect_exit 0 mfa --db "$PWD/none/mfa.db" users names
  expect_eq "$OUT" ""
  [ ! -e none ] || fail "users names created a database"
}

case_zsh_and_fish_files_parse() {
  expect_exit 0 zsh -n "$COMPLETIONS/_mfa"
  expect_exit 0 fish -n "$COMPLETIONS/mfa.fish"
}

case_fish_completes_for_real() {
  mfa users add alice >/dev/null 2>&1
  local fish_complete='source $argv[1]; complete -C $argv[2]'
  expect_eq "$(PATH="$BIN_DIR:$PATH" fish -c "$fish_complete" "$COMPLETIONS/mfa.fish" "mfa op" | cut -f1)" options
  expect_eq "$(PATH="$BIN_DIR:$PATH" fish -c "$fish_complete" "$COMPLETIONS/mfa.fish" "mfa options set internalMFA " | sort | tr '\n' ' ')" \
    "off optional required "
  expect_eq "$(PATH="$BIN_DIR:$PATH" fish -c "$fish_complete" "$COMPLETIONS/mfa.fish" "mfa verify " | cut -f1)" alice
}

# zsh_complete LINE: what a real interactive zsh shows after LINE<TAB>.
zsh_complete() {
  zsh "$(dirname "$0")/zsh_complete.zsh" "$COMPLETIONS" "$BIN_DIR" "$1" | sed 's/\x1b\[[0-9;?]*[A-Za-z]//g'
}

case_zsh_completes_for_real() {
  mfa users add alice >/dev/null 2>&1
  expect_contains "$(zsh_complete 'mfa op')" "LINE:mfa options"
  expect_contains "$(zsh_complete 'mfa options get mfaLo')" "LINE:mfa options get mfaLockoutMinutes"
  expect_contains "$(zsh_complete 'mfa verify a')" "LINE:mfa verify alice"
  local listing
  listing=$(zsh_complete 'mfa options set internalMFA ')
  expect_contains "$listing" "off"
  expect_contains "$listing" "optional"
  expect_contains "$listing" "required"
}

case_audit_search_and_prune_complete_in_every_shell() {
  expect_eq "$(bash_complete mfa audit --acti)" --action
  expect_eq "$(bash_complete mfa audit --action backup)" backup-codes.generate
  expect_eq "$(bash_complete mfa audit --since 2026-01-01 p)" prune
  expect_eq "$(bash_complete mfa audit prune --b)" --before
  expect_eq "$(bash_complete mfa audit prune --cs)" ""
  local fish_complete='source $argv[1]; complete -C $argv[2]'
  expect_eq "$(fish -c "$fish_complete" "$COMPLETIONS/mfa.fish" "mfa audit --action audit." | cut -f1)" audit.prune
  expect_eq "$(fish -c "$fish_complete" "$COMPLETIONS/mfa.fish" "mfa audit prune --" | cut -f1 | grep -c -e --before -e --csv)" 1
  expect_contains "$(zsh_complete 'mfa audit pr')" "LINE:mfa audit prune"
  expect_contains "$(zsh_complete 'mfa audit --cs')" "LINE:mfa audit --csv"
}

run_cases
