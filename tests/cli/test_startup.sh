#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# What keeps a process's start cheap without changing a word it says: the
# binary carries libmfa's code (one shared library fewer to load), a command
# line that names a command is parsed on the tree of that command's group
# alone, and OpenSSL starts without what the CLI never uses (its error
# strings, its clean-up at exit) but with the system's configuration.
source "$(dirname "$0")/lib.sh"

case_the_binary_carries_libmfa_and_loads_the_system_libraries() {
  command -v readelf >/dev/null || skip "readelf is not installed"
  local needed
  needed=$(readelf -dW "$MFA_BIN" | awk '/NEEDED/ {print $NF}')
  expect_not_contains "$needed" "libmfa.so"
  # OpenSSL and SQLite stay shared: their security updates reach mfa.
  expect_contains "$needed" "[libcrypto.so."
  expect_contains "$needed" "[libsqlite3.so."
}

# Each line is run twice: after --wide, a global flag, it is parsed on the
# tree of the command it names; after --wide=true, the same flag written in a
# way that tree's choice does not read, on the whole tree. Both must say the
# same words, on the same streams, with the same exit status.
case_a_named_command_says_what_the_whole_tree_says() {
  setup_story
  mfa users add alice >/dev/null 2>&1
  enroll_user alice
  local line lazy whole
  while IFS= read -r line; do
    # shellcheck disable=SC2086 # each line is words
    expect_exit_any mfa --wide $line </dev/null
    lazy="$STATUS|$OUT|$ERR"
    # shellcheck disable=SC2086
    expect_exit_any mfa --wide=true $line </dev/null
    whole="$STATUS|$OUT|$ERR"
    [ "$lazy" = "$whole" ] || fail "mfa $line: on its group's tree: $lazy; on the whole tree: $whole"
  done <<'LINES'
users list
users show alice
users lst
users list --frobnicate
users
users --help
verify
verify alice
verify alice 000000 extra
verify nobody 123456
verify alice 12345x --json
verify --help
verify alice --qr none
status alice
status --json alice
enroll
enroll --help
options get mfaWindow
options set mfaWindow 99 --yes
backup-codes status alice
backup-codes
reset --help
unlock
audit --limit 0
audit prune
init --help
LINES
}

# expect_exit_any COMMAND...: runs COMMAND, keeping its exit status in
# $STATUS, stdout in $OUT and stderr in $ERR.
expect_exit_any() {
  STATUS=0
  "$@" >"$PWD/out" 2>"$PWD/err" || STATUS=$?
  OUT=$(cat "$PWD/out")
  ERR=$(cat "$PWD/err")
}

case_a_long_output_reaches_a_pipe_whole() {
  python3 -c '
print("name,type,auth,email")
for i in range(400):
    print(f"user{i:04d},internal,password,user{i}@example.com")' >users.csv
  mfa users import users.csv >/dev/null 2>&1 || fail "import failed"
  # Far more than one stdio buffer, written to a pipe, not a file.
  local count
  count=$(mfa --json users list | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))') \
    || fail "the JSON on the pipe is cut short"
  expect_eq "$count" 400
}

# OpenSSL starts as the system says (its configuration may enable the FIPS
# provider or demand it): a configuration that allows only FIPS algorithms,
# with no FIPS provider here, stops verify rather than being passed over.
case_the_openssl_configuration_is_obeyed() {
  setup_story
  mfa users add alice >/dev/null 2>&1
  enroll_user alice
  cat >fips-only.cnf <<'CNF'
openssl_conf = openssl_init
[openssl_init]
alg_section = evp_properties
[evp_properties]
default_properties = fips=yes
CNF
  local before
  before=$(db_state)
  expect_exit 6 env OPENSSL_CONF="$PWD/fips-only.cnf" "$MFA_BIN" verify alice "$(code_for "$SECRET")"
  expect_contains "$ERR" "OpenSSL"
  expect_eq "$(db_state)" "$before"
  expect_exit 0 mfa verify alice "$(code_for "$SECRET")"
}

run_cases
