# SPDX-License-Identifier: MIT
# Helpers for the CLI tests: each test file defines functions named case_*,
# sources this file and calls run_cases. Every case runs in a subshell inside
# a fresh scratch folder with its own database, made by `mfa init` (a case
# named in NO_INIT, a space-separated list, starts without one); the folder
# is kept if it fails.
set -u
: "${MFA_BIN:?MFA_BIN must name the mfa binary}"
TOOLS=${MFA_TEST_TOOLS:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
unset MFA_DB MFA_KEY_FILE MFA_ACTOR SUDO_USER NO_COLOR XDG_DATA_HOME MFA_SKIP_NOTE
export LC_ALL=C.UTF-8

mfa() { "$MFA_BIN" "$@"; }

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# expect_exit N COMMAND...: runs COMMAND with stdin from /dev/null unless
# redirected by the caller, keeping stdout in $OUT and stderr in $ERR.
expect_exit() {
  local want=$1
  shift
  "$@" >"$PWD/out" 2>"$PWD/err"
  local got=$?
  OUT=$(cat "$PWD/out")
  ERR=$(cat "$PWD/err")
  [ "$got" -eq "$want" ] || fail "expected exit $want, got $got from: $* | stdout: $OUT | stderr: $ERR"
}

expect_contains() { # TEXT NEEDLE
  case "$1" in *"$2"*) ;; *) fail "expected to find '$2' in: $1" ;; esac
}

expect_not_contains() {
  case "$1" in *"$2"*) fail "did not expect '$2' in: $1" ;; *) ;; esac
}

expect_eq() { # ACTUAL EXPECTED
  [ "$1" = "$2" ] || fail "expected '$2', got '$1'"
}

# json EXPR: evaluates a Python expression over the JSON in $OUT (as `j`);
# fails unless stdout is exactly one JSON value.
json() {
  python3 -c 'import json,sys; j=json.loads(sys.stdin.read()); print(eval(sys.argv[1]))' "$1" <<<"$OUT" \
    || fail "stdout is not one JSON value: $OUT"
}

# The whole state of the database as text, to prove a command changed nothing.
db_state() {
  sqlite3 "$MFA_DB" .dump
}

file_mode() { stat -c %a "$1"; }

# skip REASON: a case that cannot run here ends as skipped, with the reason;
# called outside a case (before run_cases), it skips the whole file. CTest
# reports a file with a skipped case and no failed one as "Skipped" (exit 77,
# the SKIP_RETURN_CODE of every script test), never as passed.
skip() {
  echo "SKIP: $*" >&2
  if [ -n "${MFA_SKIP_NOTE:-}" ]; then
    echo "$*" >"$MFA_SKIP_NOTE"
  fi
  exit 77
}

run_cases() {
  local passed=0 failed=0 skipped=0 name dir rc
  for name in $(declare -F | awk '{print $3}' | grep '^case_'); do
    dir=$(mktemp -d "${TMPDIR:-/tmp}/mfa-cli-XXXXXX")
    rc=0
    # An empty configuration file beside the folder (readable by the other
    # accounts some cases run as): a system-wide /etc/mfa/mfa.conf never
    # decides where a case's database and key are.
    : >"$dir.conf"
    chmod 644 "$dir.conf"
    (cd "$dir" && export MFA_DB="$dir/mfa.db" HOME="$dir/home" MFA_SKIP_NOTE="$dir.skip" MFA_CONFIG="$dir.conf" \
      && mkdir -p "$HOME" \
      && { case " ${NO_INIT:-} " in *" ${name#case_} "*) ;; *) "$MFA_BIN" init >/dev/null ;; esac } \
      && "$name" </dev/null) || rc=$?
    rm -f "$dir.conf"
    if [ "$rc" -eq 0 ]; then
      passed=$((passed + 1))
      echo "ok   ${name#case_}"
      rm -rf "$dir"
    elif [ "$rc" -eq 77 ] && [ -f "$dir.skip" ]; then
      skipped=$((skipped + 1))
      echo "skip ${name#case_}: $(cat "$dir.skip")"
      rm -rf "$dir" "$dir.skip"
    else
      failed=$((failed + 1))
      echo "FAIL ${name#case_} (kept $dir)"
      rm -f "$dir.skip"
    fi
  done
  echo "$passed passed, $failed failed, $skipped skipped"
  [ $((passed + failed + skipped)) -gt 0 ] || { echo "FAIL: no case_ functions ran" >&2; exit 1; }
  [ "$failed" -eq 0 ] || exit 1
  [ "$skipped" -eq 0 ] || exit 77
}

# code_for SECRET [STEPS]: the TOTP code, by oathtool, STEPS periods from now.
code_for() {
  local period=${PERIOD:-30}
  oathtool --totp -s "${period}s" -b "$1" -N "@$(($(date +%s) + ${2:-0} * period))"
}

# enroll_user NAME: starts and confirms an enrollment with oathtool's code;
# sets SECRET and BACKUP_CODES (space separated). Confirms with the previous
# time step, so that the current one and later ones stay free for the test;
# if a step boundary passed in between (that code is then outside the
# window), it confirms once more with the new previous step.
enroll_user() {
  local out
  out=$(mfa --json enroll "$1") || fail "enroll $1 failed: $out"
  SECRET=$(python3 -c 'import json,sys; print(json.loads(sys.stdin.read())["secret"])' <<<"$out")
  out=$(mfa --json enroll "$1" --confirm "$(code_for "$SECRET" -1)") \
    || out=$(mfa --json enroll "$1" --confirm "$(code_for "$SECRET" -1)") || fail "confirm $1 failed: $out"
  BACKUP_CODES=$(python3 -c 'import json,sys; print(" ".join(json.loads(sys.stdin.read())["backup_codes"]))' <<<"$out")
}

# setup_story: MFA required for internal users, optional for external.
setup_story() {
  mfa -y options set internalMFA required >/dev/null 2>&1
  mfa -y options set externalMFA optional >/dev/null 2>&1
}
