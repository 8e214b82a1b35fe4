#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Global options, files, exit codes and output conventions.
source "$(dirname "$0")/lib.sh"

case_init_creates_private_files_and_folders_under_a_permissive_umask() {
  sqlite_only "the modes of a new SQLite file and its folders"
  umask 000
  expect_exit 0 mfa --db "$PWD/a/b/mfa.db" init
  expect_contains "$OUT" "$PWD/a/b/mfa.db"
  expect_contains "$OUT" "$PWD/a/b/mfa.key"
  expect_eq "$(file_mode a/b/mfa.db)" 600
  expect_eq "$(file_mode a/b/mfa.key)" 600
  expect_eq "$(file_mode a/b)" 700
  expect_eq "$(file_mode a)" 700
  mfa --db "$PWD/a/b/mfa.db" --yes options set mfaWindow 2 >/dev/null 2>&1
  for f in a/b/mfa.db*; do expect_eq "$(file_mode "$f")" 600; done
  expect_eq "$(sqlite3 a/b/mfa.db 'PRAGMA journal_mode')" wal
  expect_exit 0 mfa --db "$PWD/a/b/mfa.db" init --json
  expect_eq "$(json 'j["database_created"] or j["key_file_created"]')" "False"
}

case_default_database_follows_xdg_then_home() {
  unset MFA_DB MFA_KEY_FILE
  expect_exit 0 env XDG_DATA_HOME="$PWD/xdg" "$MFA_BIN" init
  [ -f xdg/mfa/mfa.db ] && [ -f xdg/mfa/mfa.key ] || fail "no database under XDG_DATA_HOME"
  expect_exit 0 mfa init
  [ -f "$HOME/.local/share/mfa/mfa.db" ] || fail "no database under ~/.local/share/mfa"
  expect_exit 0 env MFA_DB="$PWD/env.db" MFA_KEY_FILE="$PWD/env.key" "$MFA_BIN" init
  [ -f env.db ] && [ -f env.key ] || fail "MFA_DB / MFA_KEY_FILE not used"
  expect_exit 0 mfa --db "$PWD/flag.db" --key-file "$PWD/flag.key" init
  [ -f flag.db ] && [ -f flag.key ] || fail "--db / --key-file not used"
}

NO_INIT="corrupt_database_is_exit_6_and_untouched"
case_corrupt_database_is_exit_6_and_untouched() {
  sqlite_only "random bytes and damaged pages in the SQLite file"
  head -c 8192 /dev/urandom >"$MFA_DB"
  local sum
  sum=$(sha256sum <"$MFA_DB")
  expect_exit 6 mfa options list
  expect_contains "$ERR" "mfa: error:"
  expect_eq "$(printf '%s\n' "$ERR" | wc -l)" 1
  expect_exit 6 mfa --json options list
  expect_eq "$(json 'j["exit"]')" 6
  expect_eq "$(sha256sum <"$MFA_DB")" "$sum"
  [ ! -e "$PWD/mfa.key" ] || fail "a key was made for a corrupt database"

  # A real database whose pages were damaged.
  rm -f "$MFA_DB"
  mfa init >/dev/null 2>&1
  mfa -y options set mfaWindow 2 >/dev/null 2>&1
  sqlite3 "$MFA_DB" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
  printf 'garbage garbage garbage garbage' | dd of="$MFA_DB" bs=1 seek=4100 conv=notrunc status=none
  printf 'garbage garbage garbage garbage' | dd of="$MFA_DB" bs=1 seek=8200 conv=notrunc status=none
  sum=$(sha256sum <"$MFA_DB")
  expect_exit 6 mfa options list
  expect_eq "$(sha256sum <"$MFA_DB")" "$sum"
}

case_newer_schema_is_exit_6_and_untouched() {
  mfa init >/dev/null
  set_schema_version 99
  local sum
  sum=$(db_fingerprint)
  expect_exit 6 mfa options list
  expect_contains "$ERR" "newer"
  expect_eq "$(db_fingerprint)" "$sum"
}

case_missing_or_wrong_key_is_exit_6() {
  mfa init >/dev/null
  mv mfa.key saved.key
  expect_exit 6 mfa options list
  expect_contains "$ERR" "missing"
  [ ! -e mfa.key ] || fail "a new key replaced the missing one"
  expect_exit 6 mfa --key-file "$PWD/other.key" options list
  mfa --db "$PWD/other.db" --key-file "$PWD/other.key" init >/dev/null
  expect_exit 6 mfa --key-file "$PWD/other.key" options list
  expect_contains "$ERR" "does not belong"
  chmod 644 saved.key
  expect_exit 6 mfa --key-file "$PWD/saved.key" options list
  expect_contains "$ERR" "chmod 600"
  chmod 600 saved.key
  expect_exit 0 mfa --key-file "$PWD/saved.key" options list
}

case_read_only_database_is_exit_6() {
  if [ "$MFA_TEST_BACKEND" = postgres ]; then
    # Sessions that may not write (a standby server's): refused as well.
    mfa init >/dev/null
    local before
    before=$(db_state)
    expect_exit 6 mfa --db "$(pg_read_only_uri)" --yes options set mfaWindow 3
    expect_contains "$ERR" "read-only"
    expect_exit 6 mfa --db "$(pg_read_only_uri)" --yes options get mfaWindow
    expect_contains "$ERR" "read-only"
    expect_eq "$(db_state)" "$before"
    return
  fi
  # Root writes to any file, so as root the write is tried as nobody.
  [ "$(id -u)" -ne 0 ] || command -v setpriv >/dev/null || skip "running as root and setpriv is missing: cannot drop to nobody"
  mfa init >/dev/null
  chmod 400 "$MFA_DB"
  local sum
  sum=$(sha256sum <"$MFA_DB")
  if [ "$(id -u)" -eq 0 ]; then
    # nobody may not be able to reach the build tree (a checkout in a
    # private home): run a copy of the binary and its libmfa from here.
    mkdir bin lib
    cp "$MFA_BIN" bin/mfa
    local libmfa
    libmfa=$(ldd "$MFA_BIN" | awk '$1 ~ /^libmfa\.so/ {print $3}')
    [ -z "$libmfa" ] || cp -L "$libmfa" "lib/$(basename "$libmfa")"
    chown -R nobody "$PWD"
    local as_nobody=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
    # The copy runs as nobody (so exit 6 below is the database, not the copy).
    expect_exit 0 "${as_nobody[@]}" "$PWD/bin/mfa" --version
    # A database mfa cannot write is refused when opened, for every command.
    expect_exit 6 "${as_nobody[@]}" "$PWD/bin/mfa" --yes options get mfaWindow
    expect_contains "$ERR" "read-only"
    expect_exit 6 "${as_nobody[@]}" "$PWD/bin/mfa" --yes options set mfaWindow 3
  else
    expect_exit 6 mfa --yes options set mfaWindow 3
  fi
  expect_eq "$(sha256sum <"$MFA_DB")" "$sum"
}

case_unknown_commands_and_flags_are_exit_2() {
  expect_exit 2 mfa
  expect_exit 2 mfa nonsense
  expect_contains "$ERR" "unknown command 'nonsense'"
  expect_exit 2 mfa options frobnicate
  expect_exit 2 mfa options list --frobnicate
  expect_exit 2 mfa --json options list --frobnicate
  expect_eq "$(json 'j["exit"]')" 2
  expect_exit 2 mfa --json nonsense
  expect_eq "$(json '"error" in j')" True
}

case_every_command_has_help_and_there_is_a_version() {
  for cmd in "" init options "options list" "options get" "options set" audit; do
    # shellcheck disable=SC2086
    expect_exit 0 mfa $cmd --help
    expect_contains "$OUT" "Usage:"
  done
  expect_exit 0 mfa --version
  expect_contains "$OUT" "mfa "
  expect_exit 0 mfa --version --json
  expect_eq "$(json '"version" in j')" True
}

case_json_is_one_value_on_success_and_failure() {
  expect_exit 0 mfa --json init
  json 'j' >/dev/null
  expect_exit 0 mfa options list --json
  json 'j' >/dev/null
  expect_exit 2 mfa options set mfaDigits 7 --json --yes
  expect_eq "$(json 'j["exit"]')" 2
  expect_eq "$(json 'type(j["error"]).__name__')" str
  expect_exit 2 mfa options set internalMFA required --json
  expect_eq "$(json 'j["exit"]')" 2
  expect_exit 1 python3 "$TOOLS/pty_run.py" --answer n -- "$MFA_BIN" --json options set internalMFA required
}

case_colour_only_on_a_terminal_and_never_with_no_color() {
  expect_exit 0 python3 "$TOOLS/pty_run.py" -- "$MFA_BIN" options list
  expect_contains "$OUT" $'\033['
  expect_exit 0 env NO_COLOR=1 python3 "$TOOLS/pty_run.py" -- "$MFA_BIN" options list
  expect_not_contains "$OUT" $'\033['
  expect_exit 0 mfa options list
  expect_not_contains "$OUT" $'\033['
  expect_exit 2 mfa options get nope
  expect_not_contains "$ERR" $'\033['
}

run_cases
