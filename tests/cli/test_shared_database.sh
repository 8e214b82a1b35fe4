#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Only `mfa init` creates a database; the configuration file names a shared
# one; `init --group` makes it usable by a team of accounts in one group, and
# by nobody else.
source "$(dirname "$0")/lib.sh"

NO_INIT="no_database_is_exit_6_naming_the_path_and_mfa_init_and_creates_nothing \
init_is_idempotent_and_says_so init_group_makes_every_file_of_the_group \
a_team_of_accounts_in_the_group_share_one_database init_group_is_checked_before_anything_is_made \
the_configuration_file_names_the_database_and_key"

case_no_database_is_exit_6_naming_the_path_and_mfa_init_and_creates_nothing() {
  local cmd
  for cmd in "status alice" "users list" "options list" "verify alice 123456" "audit" "users add alice"; do
    # shellcheck disable=SC2086
    expect_exit 6 mfa $cmd
    expect_contains "$ERR" "$MFA_DB"
    expect_contains "$ERR" "mfa init"
    expect_eq "$(printf '%s\n' "$ERR" | wc -l)" 1
  done
  expect_exit 6 mfa --json status alice
  expect_eq "$(json 'j["exit"]')" 6
  expect_contains "$(json 'j["error"]')" "mfa init"
  # A typo in MFA_DB is the same: no empty database that says "no such user".
  expect_exit 6 env MFA_DB="$PWD/typo/mfa.dbb" "$MFA_BIN" status alice
  expect_contains "$ERR" "$PWD/typo/mfa.dbb"
  expect_eq "$(ls -A | grep -v -x -e out -e err)" "home"
  expect_eq "$(ls -A home)" ""
  # The default path too: nothing appears in the home folder.
  expect_exit 6 env -u MFA_DB "$MFA_BIN" status alice
  expect_contains "$ERR" "$HOME/.local/share/mfa/mfa.db"
  expect_eq "$(ls -A home)" ""
}

case_init_is_idempotent_and_says_so() {
  expect_exit 0 mfa init
  expect_contains "$OUT" "$MFA_DB (created)"
  expect_contains "$OUT" "$PWD/mfa.key (created)"
  expect_eq "$(file_mode mfa.key)" 600
  [ "$MFA_TEST_BACKEND" != sqlite ] || expect_eq "$(file_mode mfa.db)" 600
  mfa users add alice >/dev/null 2>&1 || fail "cannot add alice"
  local before key
  before=$(db_state)
  key=$(sha256sum <mfa.key)
  expect_exit 0 mfa init
  expect_not_contains "$OUT" "(created)"
  expect_contains "$ERR" "already exists; nothing was changed"
  expect_exit 0 mfa --json init
  expect_eq "$(json 'j["database_created"], j["key_file_created"]')" "(False, False)"
  expect_eq "$(db_state)" "$before"
  expect_eq "$(sha256sum <mfa.key)" "$key"
  # The default path is made with its folders, 0700.
  expect_exit 0 env -u MFA_DB "$MFA_BIN" init
  expect_eq "$(file_mode home/.local/share/mfa) $(file_mode home/.local/share/mfa/mfa.db)" "700 600"
}

case_the_configuration_file_names_the_database_and_key() {
  # (On PostgreSQL the case's MFA_KEY_FILE is set: unset where the file's key is meant.)
  mkdir -p etc
  printf '# the shared database\n\ndatabase = %s\nkey_file = %s\n' "$PWD/conf.db" "$PWD/conf.key" >etc/mfa.conf
  expect_exit 0 env -u MFA_DB -u MFA_KEY_FILE "$MFA_BIN" --config "$PWD/etc/mfa.conf" init
  [ -f conf.db ] && [ -f conf.key ] || fail "init did not make the configured files"
  expect_exit 0 env -u MFA_DB -u MFA_KEY_FILE MFA_CONFIG="$PWD/etc/mfa.conf" "$MFA_BIN" users add alice
  expect_exit 0 env -u MFA_DB -u MFA_KEY_FILE "$MFA_BIN" --config "$PWD/etc/mfa.conf" users list
  expect_contains "$OUT" alice
  # The environment beats the file, and a flag beats the environment.
  mfa init >/dev/null 2>&1
  expect_exit 0 env MFA_CONFIG="$PWD/etc/mfa.conf" MFA_KEY_FILE="$PWD/mfa.key" "$MFA_BIN" users list
  expect_not_contains "$OUT" alice
  expect_exit 0 env -u MFA_KEY_FILE MFA_CONFIG="$PWD/etc/mfa.conf" "$MFA_BIN" --db "$PWD/conf.db" users list
  expect_contains "$OUT" alice
  # A bad line is exit 2 naming the file and the line; nothing is opened.
  printf 'database = %s\n# fine\ndatabse = /x.db\n' "$PWD/conf.db" >etc/typo.conf
  expect_exit 2 env -u MFA_DB -u MFA_KEY_FILE "$MFA_BIN" --config "$PWD/etc/typo.conf" users list
  expect_contains "$ERR" "$PWD/etc/typo.conf line 3: unknown key 'databse'"
  printf 'database %s\n' "$PWD/conf.db" >etc/bad.conf
  expect_exit 2 env -u MFA_DB -u MFA_KEY_FILE "$MFA_BIN" --json --config "$PWD/etc/bad.conf" users list
  expect_eq "$(json 'j["exit"]')" 2
  expect_contains "$(json 'j["error"]')" "bad.conf line 1 is not 'key = value'"
  # A named file must exist.
  expect_exit 2 mfa --config "$PWD/etc/none.conf" users list
  expect_contains "$ERR" "$PWD/etc/none.conf"
}

# --- sharing by a group (needs root to act as several accounts) ---------------

needs_accounts() {
  [ "$(id -u)" -eq 0 ] || skip "needs root to act as other accounts"
  command -v setpriv >/dev/null || skip "no setpriv"
  getent group users >/dev/null || skip "no group 'users'"
  for account in daemon bin nobody; do
    id "$account" >/dev/null 2>&1 || skip "no account $account"
  done
  # The other accounts may not reach the build tree: a copy of mfa and
  # libmfa here, and a folder they can pass through.
  mkdir -p bin lib
  cp "$MFA_BIN" bin/mfa
  local libmfa
  libmfa=$(ldd "$MFA_BIN" | awk '$1 ~ /^libmfa\.so/ {print $3}')
  [ -z "$libmfa" ] || cp -L "$libmfa" "lib/$(basename "$libmfa")"
  chmod 755 "$PWD" bin lib
  USERS_GID=$(getent group users | cut -d: -f3)
}

# as ACCOUNT [--in-users] CMD...: runs mfa's copy as ACCOUNT, a member of the
# group "users" with --in-users.
as() {
  local account=$1 groups=--clear-groups
  shift
  if [ "$1" = --in-users ]; then
    groups=--groups=$USERS_GID
    shift
  fi
  setpriv --reuid="$account" --regid=nogroup "$groups" "$PWD/bin/mfa" "$@"
}

case_init_group_makes_every_file_of_the_group() {
  sqlite_only "init --group: the group and modes of the SQLite file, its folder and key"
  needs_accounts
  export MFA_DB="$PWD/team/mfa.db"
  expect_exit 0 mfa init --group users
  expect_contains "$ERR" "Shared with group users"
  mfa users add alice >/dev/null 2>&1 || fail "cannot add alice"
  local file
  for file in team:2770 team/mfa.db:660 team/mfa.db-wal:660 team/mfa.db-shm:660 team/mfa.key:640; do
    expect_eq "${file%%:*} $(stat -c '%a %G' "${file%%:*}")" "${file%%:*} ${file##*:} users"
  done
}

case_a_team_of_accounts_in_the_group_share_one_database() {
  sqlite_only "init --group: the group and modes of the SQLite file, its folder and key"
  needs_accounts
  export MFA_DB="$PWD/team/mfa.db"
  # Root makes the team's folder (as the Debian package makes /var/lib/mfa);
  # daemon, a member of "users", makes the database in it; nobody, another
  # member, uses it.
  mkdir team && chgrp users team && chmod 2770 team
  expect_exit 0 as daemon --in-users init --group users
  expect_eq "$(stat -c '%U %G %a' team/mfa.db team/mfa.key | tr '\n' ' ')" "daemon users 660 daemon users 640 "
  expect_exit 0 as daemon --in-users -y options set internalMFA required
  expect_exit 0 as nobody --in-users users add alice
  expect_exit 0 as nobody --in-users --json enroll alice
  local secret
  secret=$(json 'j["secret"]')
  expect_exit 0 as daemon --in-users enroll alice --confirm "$(code_for "$secret")"
  expect_exit 0 as nobody --in-users --json status alice
  expect_eq "$(json 'j["enrollment"]')" active
  # Root uses it as well (as a PAM module will).
  expect_exit 0 mfa status alice
  # An account outside the group cannot even read it: exit 6, nothing changed.
  local before
  before=$(db_state)
  expect_exit 6 as bin status alice
  expect_contains "$ERR" "Permission denied; it is shared with group users, which you are not in"
  expect_exit 6 as bin verify alice 123456
  expect_eq "$(db_state)" "$before"
  # A key of another group next to a group database is refused, even when
  # the reader is in both: the key's group must be the database's.
  chown root:nogroup team/mfa.key
  expect_exit 6 mfa status alice
  expect_contains "$ERR" "only a key of the database's own group"
  # And one of another account and another group is not shared at all.
  chown daemon:nogroup team/mfa.key
  expect_exit 6 mfa status alice
  expect_contains "$ERR" "not through a group-shared folder"
  chown daemon:users team/mfa.key
  # A file another account left in a folder that is not group-shared is still
  # refused: sharing is through the group's folder, not through the file.
  mkdir private && cp -p team/mfa.db team/mfa.db-wal team/mfa.db-shm team/mfa.key private/
  chmod 755 private
  expect_exit 6 mfa --db "$PWD/private/mfa.db" status alice
  expect_contains "$ERR" "belongs to daemon"
}

case_init_group_is_checked_before_anything_is_made() {
  sqlite_only "init --group: the group and modes of the SQLite file, its folder and key"
  needs_accounts
  export MFA_DB="$PWD/team/mfa.db"
  expect_exit 2 mfa init --group no-such-group-here
  expect_contains "$ERR" "no group named 'no-such-group-here'"
  # Not a member of the group (and not root): exit 2, nothing made.
  expect_exit 2 as nobody init --group users
  expect_contains "$ERR" "not a member of group users"
  [ ! -e team ] || fail "a refused init made $PWD/team"
  # An existing folder that is not shared with the group: exit 6, untouched.
  mkdir -m 700 team
  expect_exit 6 mfa init --group users
  expect_contains "$ERR" "chmod 2770"
  expect_eq "$(stat -c %a team) $(ls -A team | wc -l)" "700 0"
}

run_cases
