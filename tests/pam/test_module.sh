#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# pam_mfa.so ($MFA_PAM_MODULE) as a login program runs it: under cwrap's
# pam_wrapper (a private service folder, never /etc/pam.d), through
# pam_driver ($MFA_PAM_DRIVER: every prompt with its echo style, every
# message, the result by name, the PAM_AUTHTOK left for the next module) and
# through Debian's pamtester. The database is made and read back with the
# mfa command, on SQLite or (as "pam on postgres") on PostgreSQL.
HERE=$(cd "$(dirname "$0")" && pwd)
: "${MFA_PAM_MODULE:?}" "${MFA_PAM_DRIVER:?}"
WRAPPER=$(/sbin/ldconfig -p 2>/dev/null | awk '/libpam_wrapper\.so / {print $NF; exit}')
GET_ITEMS=$(dirname "$WRAPPER")/pam_wrapper/pam_get_items.so
[ -n "$WRAPPER" ] && [ -f "$GET_ITEMS" ] || { echo "SKIP: libpam-wrapper is not installed" >&2; exit 77; }
command -v pamtester >/dev/null || { echo "SKIP: pamtester is not installed" >&2; exit 77; }

# pam_mfa refuses a database in a folder that any user may write (or that
# two different accounts own), so every case's folder is made in one that
# only root and this account can change, never under /tmp; and, for the
# cases that log in with another account's file rights, in one that others
# may pass through (not under a private home).
# trusted_folder FOLDER [passable]: whether FOLDER and every folder above it
# are so (and, with "passable", may be passed through by every user).
trusted_folder() {
  local folder=$1 path mode owner group
  while [ -n "$folder" ]; do
    path=${path:+$path }$folder
    [ "$folder" = / ] && break
    folder=$(dirname "$folder")
  done
  for folder in $path; do
    read -r mode owner group < <(stat -L -c '%a %u %g' "$folder")
    (( (8#$mode & 8#002) == 0 )) || return 1
    [ "$owner" = 0 ] || [ "$owner" = "$(id -u)" ] || return 1
    (( (8#$mode & 8#020) == 0 )) || [ "$group" = 0 ] || return 1
    [ "${2:-}" != passable ] || (( (8#$mode & 8#001) != 0 )) || return 1
  done
}
base=""
for need in passable ""; do
  for candidate in "${MFA_PAM_SCRATCH:-}" /run /var/lib "$HOME"; do
    if [ -n "$candidate" ] && [ -d "$candidate" ] && [ -w "$candidate" ] && trusted_folder "$candidate" $need; then
      base=$candidate
      break 2
    fi
  done
done
[ -n "$base" ] || { echo "SKIP: no folder that only root and $(id -un) can change, for the databases" >&2; exit 77; }
TMPDIR=$(mktemp -d "$base/mfa-pam-tests-XXXXXX")
trap 'rm -rf "$TMPDIR"' EXIT
export TMPDIR
source "$HERE/../cli/lib.sh"
source "$HERE/../c_abi/fixture.sh"
sanitizer_preload # PRELOAD: the sanitizer runtimes, for a sanitized module in pamtester
PRELOAD_LIBS=${PRELOAD[1]:-}
PRELOAD_LIBS=${PRELOAD_LIBS#LD_PRELOAD=}

# service NAME ARGS...: a service file NAME in the case's own service
# folder: pam_mfa.so with ARGS (the case's database and key file first).
service() {
  local name=$1
  shift
  mkdir -p services
  {
    echo "auth required $MFA_PAM_MODULE db=$MFA_DB ${MFA_KEY_FILE:+key_file=$MFA_KEY_FILE} $*"
  } >"services/$name"
}

# under_wrapper COMMAND...: COMMAND with PAM redirected to ./services, and
# every message the module logs (syslog, at every level) on stderr.
under_wrapper() {
  env LD_PRELOAD="${PRELOAD_LIBS:+$PRELOAD_LIBS }$WRAPPER" PAM_WRAPPER=1 PAM_WRAPPER_SERVICE_DIR="$PWD/services" \
    PAM_WRAPPER_DEBUGLEVEL=2 PAM_WRAPPER_DISABLE_DEEPBIND=1 ASAN_OPTIONS=detect_leaks=0:verify_asan_link_order=0 \
    "$@"
}

# login SERVICE USER [ANSWER...]: runs pam_driver; OUT is what the login
# program saw, LOG what the module logged, RESULT the result's name.
login() {
  under_wrapper "$MFA_PAM_DRIVER" "$@" >"$PWD/out" 2>"$PWD/err" || fail "pam_driver failed: $(cat "$PWD/err")"
  OUT=$(cat "$PWD/out")
  LOG=$(grep 'SYSLOG' "$PWD/err")
  RESULT=$(sed -n 's/^result: \([A-Z_]*\) .*/\1/p' <<<"$OUT")
}

expect_result() { # NAME
  [ "$RESULT" = "$1" ] || fail "expected $1, got ${RESULT:-nothing}: $OUT | logged: $LOG"
}

# A user enrolled with an authenticator ($SECRET, $BACKUP_CODES), MFA on.
enrolled() {
  setup_story
  mfa users add "${1:-alice}" >/dev/null 2>&1 || fail "users add"
  enroll_user "${1:-alice}"
}

# audit_of USER: the verify rows of USER, as (actor, new, reason).
audit_of() {
  expect_exit 0 mfa --json audit --user "$1" --action verify
  json '[(r["actor"], r["new"], r["reason"]) for r in reversed(j)]'
}

case_a_right_code_is_pam_success_after_one_echo_off_prompt_and_audited_as_pam_service() {
  enrolled
  service sshd
  login sshd alice "$(code_for "$SECRET")"
  expect_result PAM_SUCCESS
  expect_eq "$(grep -c '^prompt' <<<"$OUT")" 1
  expect_contains "$OUT" "prompt (echo off): Verification code: "
  expect_eq "$(audit_of alice)" "[('pam:sshd', 'accepted (totp)', None)]"
  expect_contains "$OUT" "setcred: PAM_SUCCESS"
}

case_a_replayed_code_and_a_wrong_code_are_pam_auth_err() {
  enrolled
  service sudo
  local code
  code=$(code_for "$SECRET")
  login sudo alice "$code"
  expect_result PAM_SUCCESS
  login sudo alice "$code"
  expect_result PAM_AUTH_ERR
  login sudo alice "$(code_for "$SECRET" 20)"
  expect_result PAM_AUTH_ERR
  expect_eq "$(audit_of alice)" \
    "[('pam:sudo', 'accepted (totp)', None), ('pam:sudo', 'rejected', 'reused'), ('pam:sudo', 'rejected', 'wrong-code')]"
  login sudo alice ""
  expect_result PAM_AUTH_ERR # nothing typed: refused, not counted
  expect_exit 0 mfa --json users show alice
  expect_eq "$(json 'j["failed_attempts"]')" 2
}

case_a_backup_code_is_accepted_once() {
  enrolled
  service login
  local code=${BACKUP_CODES%% *}
  login login alice "$code"
  expect_result PAM_SUCCESS
  login login alice "$code"
  expect_result PAM_AUTH_ERR
  expect_eq "$(audit_of alice)" "[('pam:login', 'accepted (backup-code)', None), ('pam:login', 'rejected', 'reused')]"
}

case_a_lock_reached_through_pam_is_pam_maxtries_says_until_when_and_shows_in_users_show() {
  enrolled
  service sshd
  local attempt
  for attempt in 1 2 3 4 5; do
    login sshd alice 000000
    expect_result PAM_AUTH_ERR
  done
  expect_exit 0 mfa --json users show alice
  expect_eq "$(json 'j["decision"]')" locked
  local until
  until=$(json 'j["locked_until"]')
  [ -n "$until" ] && [ "$until" != None ] || fail "users show gives no lock end: $OUT"
  # Locked: no prompt at all, PAM_MAXTRIES, and the lock's end in local time.
  login sshd alice "$(code_for "$SECRET")"
  expect_result PAM_MAXTRIES
  expect_not_contains "$OUT" "prompt"
  expect_contains "$OUT" "error message: Too many wrong codes: this account is locked out until $(TZ=UTC date -d "$until" '+%Y-%m-%d %H:%M:%S') UTC."
  TZ=Europe/Paris login sshd alice
  expect_contains "$OUT" "until $(TZ=Europe/Paris date -d "$until" '+%Y-%m-%d %H:%M:%S %Z')."
  login -s sshd alice # PAM_SILENT: the result, no message
  expect_result PAM_MAXTRIES
  expect_not_contains "$OUT" "message"
  # The helpdesk sees it and lifts it; the next login works.
  expect_exit 0 mfa unlock alice
  login sshd alice "$(code_for "$SECRET" 1)"
  expect_result PAM_SUCCESS
}

case_a_lock_only_an_admin_lifts_says_so() {
  enrolled
  # As the 100th failure in a row leaves it.
  db_sql "UPDATE users SET failed_attempts = 100, locked_until = 253402300799 WHERE name = 'alice'"
  service sshd
  login sshd alice
  expect_result PAM_MAXTRIES
  expect_contains "$OUT" "locked out until an administrator unlocks it."
}

case_no_mfa_for_the_user_is_pam_ignore_and_the_login_goes_on_with_the_next_module() {
  setup_story
  mfa users add sam --sso >/dev/null 2>&1
  mfa users add eve --external >/dev/null 2>&1
  mfa users add otto --external >/dev/null 2>&1
  enroll_user otto
  service only
  cp services/only services/stack
  echo "auth required pam_permit.so" >>services/stack
  local user
  for user in sam eve; do # SSO; external with MFA optional and not enrolled
    # A stack of pam_mfa alone ends as PAM_PERM_DENIED exactly when every
    # module in it said PAM_IGNORE; the next module then decides alone.
    login only "$user"
    expect_result PAM_PERM_DENIED
    expect_not_contains "$OUT" "prompt"
    login stack "$user"
    expect_result PAM_SUCCESS
  done
  # MFA Off for external users: even an enrolled one is not asked.
  mfa -y options set externalMFA off >/dev/null 2>&1
  login stack otto
  expect_result PAM_SUCCESS
  expect_not_contains "$OUT" "prompt"
  mfa -y options set externalMFA required >/dev/null 2>&1
  login stack otto 000000
  expect_result PAM_AUTH_ERR
}

case_enrollment_required_is_pam_auth_err_with_a_message_pending_too() {
  setup_story
  mfa users add bob >/dev/null 2>&1
  mfa users add pat >/dev/null 2>&1
  mfa enroll pat >/dev/null 2>&1 # pending: never confirmed
  service sshd
  local user
  for user in bob pat; do
    login sshd "$user"
    expect_result PAM_AUTH_ERR
    expect_not_contains "$OUT" "prompt"
    expect_contains "$OUT" "error message: This account needs a second factor and has none yet"
  done
}

case_an_unknown_user_is_pam_user_unknown_or_pam_ignore_with_unknown_ignore() {
  setup_story
  service plain
  service lenient unknown=ignore
  login plain ghost
  expect_result PAM_USER_UNKNOWN
  login lenient ghost
  expect_result PAM_PERM_DENIED # the only module ignored it
  expect_not_contains "$OUT" "prompt"
}

case_storage_and_key_problems_are_pam_authinfo_unavail_never_success() {
  enrolled
  local code
  code=$(code_for "$SECRET")
  env -u MFA_KEY_FILE "$MFA_BIN" --db "$PWD/other/mfa.db" init >/dev/null || fail "init of the other database"
  : >empty.conf
  mkdir -p services
  echo "auth required $MFA_PAM_MODULE db=$MFA_DB key_file=$PWD/other/mfa.key" >services/wrong-key
  echo "auth required $MFA_PAM_MODULE db=$PWD/nowhere/mfa.db key_file=$PWD/other/mfa.key" >services/no-db
  echo "auth required $MFA_PAM_MODULE config=$PWD/empty.conf key_file=$PWD/other/mfa.key" >services/no-db-named
  local name
  for name in wrong-key no-db no-db-named; do
    login "$name" alice "$code"
    expect_result PAM_AUTHINFO_UNAVAIL
    expect_not_contains "$OUT" "prompt"
    [ -n "$LOG" ] || fail "$name: nothing logged"
  done
  login no-db-named alice
  expect_contains "$LOG" "no database: give db=PATH"
  [ ! -e "$PWD/nowhere" ] || fail "the module created $PWD/nowhere"
  if [ "$MFA_TEST_BACKEND" = sqlite ]; then
    service sshd
    chmod 644 mfa.key
    login sshd alice "$code"
    expect_result PAM_AUTHINFO_UNAVAIL
    chmod 600 mfa.key
    cp mfa.db saved.db
    printf 'not a database at all' | dd of=mfa.db bs=1 seek=0 conv=notrunc status=none
    login sshd alice "$code"
    expect_result PAM_AUTHINFO_UNAVAIL
    cp saved.db mfa.db
  else
    echo "auth required $MFA_PAM_MODULE db=postgresql:///mfa?host=$PWD/no-server&connect_timeout=2 key_file=$MFA_KEY_FILE" \
      >services/sshd
    login sshd alice "$code"
    expect_result PAM_AUTHINFO_UNAVAIL
    service sshd
  fi
  login sshd alice "$code" # the database itself was never touched
  expect_result PAM_SUCCESS
}

case_an_unknown_or_empty_argument_is_logged_and_pam_service_err() {
  enrolled
  local argument
  for argument in nullok "unknown=deny" "db=" "config=" "key_file=" "Debug"; do
    service sshd "$argument"
    login sshd alice "$(code_for "$SECRET")"
    expect_result PAM_SERVICE_ERR
    expect_not_contains "$OUT" "prompt"
    expect_contains "$LOG" "\"$argument\""
  done
}

case_config_names_the_database_and_key_file_and_arguments_win() {
  enrolled
  local key=${MFA_KEY_FILE:-$PWD/mfa.key}
  printf 'database = %s\nkey_file = %s\n' "$MFA_DB" "$key" >mfa.conf
  mkdir -p services
  echo "auth required $MFA_PAM_MODULE config=$PWD/mfa.conf" >services/by-config
  login by-config alice "$(code_for "$SECRET")"
  expect_result PAM_SUCCESS
  env -u MFA_KEY_FILE "$MFA_BIN" --db "$PWD/other/mfa.db" init >/dev/null || fail "init of the other database"
  echo "auth required $MFA_PAM_MODULE config=$PWD/mfa.conf key_file=$PWD/other/mfa.key" >services/key-wins
  login key-wins alice "$(code_for "$SECRET" 1)"
  expect_result PAM_AUTHINFO_UNAVAIL
  echo "auth required $MFA_PAM_MODULE config=$PWD/missing.conf" >services/missing
  login missing alice
  expect_result PAM_AUTHINFO_UNAVAIL
  expect_contains "$LOG" "missing.conf"
  printf 'database = %s\ncolour = blue\n' "$MFA_DB" >bad.conf
  echo "auth required $MFA_PAM_MODULE config=$PWD/bad.conf" >services/bad
  login bad alice
  expect_result PAM_AUTHINFO_UNAVAIL
  expect_contains "$LOG" "colour"
}

case_forward_pass_takes_the_code_from_the_end_and_hands_the_password_on() {
  enrolled
  service sshd forward_pass
  echo "auth optional $GET_ITEMS" >>services/sshd # reads PAM_AUTHTOK as pam_unix would
  login sshd alice "correct horse 42$(code_for "$SECRET")"
  expect_result PAM_SUCCESS
  expect_contains "$OUT" "prompt (echo off): Password & verification code: "
  expect_eq "$(sed -n 's/^authtok: //p' <<<"$OUT")" "correct horse 42"
  # A backup code with its dash, and a password that ends in digits.
  login sshd alice "pass1234${BACKUP_CODES%% *}"
  expect_result PAM_SUCCESS
  expect_eq "$(sed -n 's/^authtok: //p' <<<"$OUT")" "pass1234"
  # Only a password: it is handed on, and the code asked for alone.
  login sshd alice "just-a-password" "$(code_for "$SECRET" 1)"
  expect_result PAM_SUCCESS
  expect_contains "$OUT" "prompt (echo off): Verification code: "
  expect_eq "$(sed -n 's/^authtok: //p' <<<"$OUT")" "just-a-password"
  # A wrong code after the password: rejected, and still no password leaks.
  login sshd alice "hunter2$(code_for "$SECRET" 30)"
  expect_result PAM_AUTH_ERR
  expect_eq "$(sed -n 's/^authtok: //p' <<<"$OUT")" "hunter2"
  # A user who needs no code is not asked: the next module asks for the password.
  mfa users add sam --sso >/dev/null 2>&1
  login sshd sam
  expect_not_contains "$OUT" "prompt"
  expect_not_contains "$OUT" "authtok"
}

case_debug_logs_the_decision_and_never_a_code_or_a_password() {
  enrolled
  service sshd debug forward_pass
  local code
  code=$(code_for "$SECRET")
  login sshd alice "sesame-open$code"
  expect_result PAM_SUCCESS
  expect_contains "$LOG" "user alice: decision verify"
  expect_contains "$LOG" "user alice: code accepted"
  expect_not_contains "$LOG" "$code"
  expect_not_contains "$LOG" "sesame"
  login sshd alice "sesame-open000000"
  expect_not_contains "$LOG" "000000"
  expect_not_contains "$LOG" "sesame"
  expect_contains "$LOG" "user alice: "
}

case_pamtester_logs_in_with_a_code_and_is_refused_a_replay() {
  enrolled
  service pamtester-svc
  local code
  code=$(code_for "$SECRET")
  under_wrapper pamtester pamtester-svc alice authenticate <<<"$code" >out 2>err \
    || fail "pamtester refused a right code: $(cat out err)"
  expect_contains "$(cat out err)" "Verification code: "
  expect_contains "$(cat out err)" "pamtester: successfully authenticated"
  if under_wrapper pamtester pamtester-svc alice authenticate <<<"$code" >out 2>err; then
    fail "pamtester accepted a replayed code"
  fi
  expect_contains "$(cat out err)" "Authentication failure"
  expect_eq "$(audit_of alice)" "[('pam:pamtester-svc', 'accepted (totp)', None), ('pam:pamtester-svc', 'rejected', 'reused')]"
}

# Root's opens take the rights of whoever else could change the path.
needs_root() {
  [ "$(id -u)" -eq 0 ] || skip "needs root: the module's own rights are what it guards"
}

case_a_database_reached_through_another_accounts_folder_opens_only_with_that_accounts_rights() {
  sqlite_only "a path walked by the module: a PostgreSQL URI has none"
  needs_root
  enrolled
  local code
  code=$(code_for "$SECRET")
  # pam_oath's CVE-2024-47191: a folder the user owns, with a link in it to
  # a file only root may use. Here the link leads to root's own database.
  mkdir planted && chown nobody planted
  ln -s "$MFA_DB" planted/mfa.db
  mkdir -p services
  echo "auth required $MFA_PAM_MODULE db=$PWD/planted/mfa.db key_file=$PWD/mfa.key" >services/planted
  login planted alice "$code"
  expect_result PAM_AUTHINFO_UNAVAIL # nobody may not read root's 0600 files
  expect_exit 0 mfa --json audit --user alice --action verify
  expect_eq "$(json 'len(j)')" 0
  # A folder every user may write is refused outright.
  mkdir open && chmod 1777 open && cp mfa.db mfa.key open/
  echo "auth required $MFA_PAM_MODULE db=$PWD/open/mfa.db" >services/open
  login open alice "$code"
  expect_result PAM_AUTHINFO_UNAVAIL
  expect_contains "$LOG" "may be written by every user"
  # Two different accounts' folders on one path: refused.
  mkdir -p two && chown nobody two && mkdir two/inner && chown daemon two/inner
  echo "auth required $MFA_PAM_MODULE db=$PWD/two/inner/mfa.db" >services/two
  login two alice "$code"
  expect_result PAM_AUTHINFO_UNAVAIL
  expect_contains "$LOG" "another part of the path"
  # A user's folder inside a folder a group may write, the user outside the
  # group: together they could do what neither may.
  mkdir -p mixed && chgrp mail mixed && chmod 2770 mixed && mkdir mixed/own && cp mfa.db mfa.key mixed/own/
  chown nobody mixed/own
  echo "auth required $MFA_PAM_MODULE db=$PWD/mixed/own/mfa.db" >services/mixed
  login mixed alice "$code"
  expect_result PAM_AUTHINFO_UNAVAIL
  expect_contains "$LOG" "which that user is not in"
  # Rights given by an access control list are not in the mode: refused.
  if command -v setfacl >/dev/null; then
    mkdir acl && cp mfa.db mfa.key acl/ && setfacl -m u:nobody:rwx acl
    echo "auth required $MFA_PAM_MODULE db=$PWD/acl/mfa.db" >services/acl
    login acl alice "$code"
    expect_result PAM_AUTHINFO_UNAVAIL
    expect_contains "$LOG" "access control list"
  fi
  login planted alice "$code" # the code was never used
  service sshd
  login sshd alice "$code"
  expect_result PAM_SUCCESS
}

case_a_group_shared_database_opens_with_the_groups_rights_and_its_files_stay_the_groups() {
  sqlite_only "a path walked by the module: a PostgreSQL URI has none"
  needs_root
  getent group mail >/dev/null || skip "no group mail to share a database with"
  # What `mfa init --group` makes (and the .deb's /var/lib/mfa): a setgid
  # folder the group may write, the database 660 and the key 640.
  # Others may pass through the case's folders, as through /var/lib.
  chmod 711 "$TMPDIR" "$PWD"
  expect_exit 0 mfa --db "$PWD/shared/mfa.db" init --group mail
  MFA_DB=$PWD/shared/mfa.db enrolled
  [ "$(stat -c '%a %G' shared)" = "2770 mail" ] || fail "init --group made $(stat -c '%a %G' shared)"
  mkdir -p services
  echo "auth required $MFA_PAM_MODULE db=$PWD/shared/mfa.db debug" >services/shared
  # No -wal or -shm before the login: the module's open makes them.
  sqlite3 shared/mfa.db 'PRAGMA journal_mode = DELETE' >/dev/null
  [ ! -e shared/mfa.db-wal ] || fail "the -wal file is still there"
  login shared alice "$(code_for "$SECRET")"
  expect_result PAM_SUCCESS
  expect_contains "$LOG" "file rights of its owners"
  # The files the login wrote (SQLite's -wal and -shm, when kept) are the
  # group's, and given back to the database's owner: none is nobody's.
  local file
  for file in shared/*; do
    [ "$(stat -c '%U %G' "$file")" = "root mail" ] || fail "$file belongs to $(stat -c '%U:%G' "$file")"
  done
  # A root-only file put there is beyond the group's rights, and so beyond
  # the module's: a key the group may not read is refused.
  chgrp root shared/mfa.key
  login shared alice "$(code_for "$SECRET" 1)"
  expect_result PAM_AUTHINFO_UNAVAIL
}

# sudo and su are set-user-ID programs: their environment is the caller's.
# libpq would read the caller's PG* variables and HOME (another server,
# another root certificate, a service file); the module sets them aside for
# the connection. The caller here asks for a standby server, which the
# test server is not: obeyed, the login could not reach the database.
case_a_set_user_id_login_program_ignores_the_callers_pg_variables_and_home() {
  needs_root
  enrolled
  chmod 711 "$TMPDIR" "$PWD"
  cp "$MFA_PAM_DRIVER" ./driver && chown root: ./driver && chmod 4755 ./driver
  mkdir -p services && chmod 755 services
  service sudo
  chmod 644 services/sudo
  mkdir -p caller && chown nobody caller
  printf '*:*:*:*:not-the-password\n' >caller/.pgpass
  chown nobody caller/.pgpass && chmod 600 caller/.pgpass
  setpriv --reuid=nobody --regid=nogroup --clear-groups env HOME="$PWD/caller" PGTARGETSESSIONATTRS=standby \
    PGSERVICE=nowhere PGPASSFILE="$PWD/caller/.pgpass" PGSSLMODE=verify-full PGCONNECT_TIMEOUT=1 \
    ./driver -c "$PWD/services" sudo alice "$(code_for "$SECRET")" >out 2>err || fail "driver: $(cat out err)"
  OUT=$(cat out)
  expect_contains "$OUT" "result: PAM_SUCCESS"
  expect_eq "$(audit_of alice)" "[('pam:sudo', 'accepted (totp)', None)]"
}

run_cases
