#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Help and mistakes: every --help fits 80 columns and has an example, and a
# subcommand's help names the global flags; every parse error is one line in
# the product's words, with "did you mean" for a typo and a pointer to --help.
source "$(dirname "$0")/lib.sh"

# Every command path, "" for mfa itself, from the Subcommands of each help.
all_commands() {
  local todo=("") path sub
  while [ "${#todo[@]}" -gt 0 ]; do
    path=${todo[0]}
    todo=("${todo[@]:1}")
    echo "$path"
    # shellcheck disable=SC2086
    for sub in $("$MFA_BIN" $path --help | awk '/^[^ ].*:$/ {s = ($0 == "Subcommands:")} s && /^  [a-z]/ {print $1}'); do
      todo+=("${path:+$path }$sub")
    done
  done
}

case_every_help_fits_80_columns_and_has_an_example() {
  local commands path count=0
  commands=$(all_commands)
  [ "$(wc -l <<<"$commands")" -ge 20 ] || fail "too few commands found: $commands"
  while IFS= read -r path; do
    # shellcheck disable=SC2086
    expect_exit 0 mfa $path --help
    count=$((count + 1))
    python3 -c '
import sys
for n, line in enumerate(sys.stdin.read().splitlines(), 1):
    if len(line) > 80:
        sys.exit(f"line {n} is {len(line)} columns: {line}")' <<<"$OUT" || fail "mfa $path --help is wider than 80 columns"
    grep -Eq '^Examples?:$' <<<"$OUT" || fail "mfa $path --help has no Example: $OUT"
    grep -Eq '^  mfa ' <<<"$(sed -n '/^Examples\{0,1\}:$/,/^$/p' <<<"$OUT")" || fail "mfa $path --help: no example line"
    if [ -n "$path" ]; then
      expect_contains "$OUT" "Global options"
      for flag in --db --key-file --actor --json --yes --wide; do
        expect_contains "$OUT" "$flag"
      done
    fi
  done <<<"$commands"
  [ "$count" -ge 20 ] || fail "only $count commands checked"
}

case_options_set_help_lists_every_setting_and_its_values() {
  expect_exit 0 mfa options set --help
  for want in internalMFA "On (Required)" enableMFABackupCodes "Yes, No" mfaAlgorithm SHA512 mfaLockoutMinutes "1 to 1440"; do
    expect_contains "$OUT" "$want"
  done
}

# mistake EXPECTED_TEXT ARG...: a usage error (exit 2, stdout empty) of one
# line that says EXPECTED_TEXT, points to --help and is not CLI11's wording.
mistake() {
  local want=$1
  shift
  expect_exit 2 mfa "$@"
  expect_eq "$OUT" ""
  expect_eq "$(wc -l <<<"$ERR")" 1
  expect_contains "$ERR" "mfa: error: "
  expect_contains "$ERR" "$want"
  expect_contains "$ERR" " --help)"
  for raw in "The following" "not expected" "is required" "A subcommand" "required TEXT" "Value " "excludes" \
    "not in {" "Could not convert"; do
    expect_not_contains "$ERR" "$raw"
  done
}

case_unknown_commands_get_did_you_mean() {
  mistake "unknown command 'enrol'; did you mean 'enroll'?" enrol alice
  mistake "unknown command 'user'; did you mean 'users'?" user add alice
  mistake "unknown command 'lst' for mfa options; did you mean 'list'?" options lst
  mistake "(see mfa options --help)" options lst
  mistake "did you mean 'generate'?" backup-codes gen alice
  mistake "did you mean 'mfa options list' or 'mfa users list'?" list
  mistake "unknown command 'nonsense'; the commands are init, options," nonsense
}

case_unknown_flags_get_did_you_mean() {
  mistake "unknown flag '--emial' for mfa users add; did you mean '--email'?" users add alice --emial
  mistake "did you mean '--email'?" users add alice --emial=a@b.c
  mistake "did you mean '--json'?" --jsn users list
  mistake "did you mean '--svg-dir'?" enroll --batch names.txt --svgdir qr
  mistake "unknown flag '--frobnicate' for mfa options list (see mfa options list --help)" options list --frobnicate
}

case_extra_arguments_are_named_in_one_sentence() {
  mistake "unknown flag '--emial' and unexpected argument 'a@b.c' for mfa users add; did you mean '--email'?" \
    users add alice a@b.c --emial
  mistake "unexpected arguments 'b' and 'c' for mfa users add, which takes only NAME (see mfa users add --help)" \
    users add a b c
  mistake "unexpected argument 'c' for mfa verify, which takes only NAME [CODE]" verify a b c
  mistake "unexpected argument 'x' for mfa users names, which takes no arguments" users names x
}

case_missing_and_invalid_values_are_said_plainly() {
  mistake "mfa needs a command: init, options," 
  mistake "mfa options needs a command: list, get or set (see mfa options --help)" options
  mistake "mfa users add needs NAME (see mfa users add --help)" users add
  mistake "mfa options set needs KEY and VALUE" options set
  mistake "--email needs a value: EMAIL (see mfa users add --help)" users add alice --email
  mistake "invalid value '0' for --limit; allowed: 1 to 1000000000" audit --limit 0
  mistake "invalid value 'big' for --qr; allowed: utf8, ansi, none (see mfa enroll --help)" enroll alice --qr big
  mistake "--sso and --password cannot be given together" users set alice --sso --password
}

case_a_mistake_in_json_mode_is_the_same_sentence() {
  expect_exit 2 mfa --json enrol alice
  expect_eq "$(json 'j["exit"]')" 2
  expect_contains "$(json 'j["error"]')" "did you mean 'enroll'?"
  expect_contains "$ERR" "did you mean 'enroll'?"
}

case_a_mistake_changes_nothing() {
  mfa init >/dev/null
  local before
  before=$(db_state)
  mistake "did you mean '--email'?" users add alice --emial a@b.c
  expect_eq "$(db_state)" "$before"
}

case_a_flag_given_twice_is_one_sentence_in_the_products_voice() {
  expect_exit 2 mfa enroll alice --qr utf8 --qr ansi
  expect_contains "$ERR" "--qr is given more than once"
  expect_not_contains "$ERR" "At Most"
  expect_exit 2 mfa --db a --db b users list
  expect_contains "$ERR" "--db is given more than once"
  expect_exit 2 mfa audit --limit 1 --limit 2
  expect_contains "$ERR" "--limit is given more than once"
}

case_a_flag_of_a_command_given_before_it_says_where_it_goes() {
  expect_exit 2 mfa --qr none enroll alice
  expect_contains "$ERR" "'--qr' is a flag of mfa enroll: give it after 'enroll'"
  expect_not_contains "$ERR" "did you mean '--qr'"
}

run_cases
