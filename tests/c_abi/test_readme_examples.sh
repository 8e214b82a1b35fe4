#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The C, Python and C++ examples of README.md's "For application developers"
# run as written against the built libmfa, and fail closed.
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/../cli/lib.sh"
source "$HERE/fixture.sh"
: "${MFA_LIBRARY:?}"
LIBDIR=$(dirname "$MFA_LIBRARY")

sanitizer_preload

# readme_example LANGUAGE FILE: the README's first ```LANGUAGE block of that
# section, into FILE.
readme_example() {
  python3 - "$HERE/../../README.md" "$1" >"$2" <<'PY' || fail "no $1 example in README.md"
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
section = re.search(r"\n## For application developers\n(.*?)\n## ", text, re.S).group(1)
print(re.search(r"```" + sys.argv[2] + r"\n(.*?)```", section, re.S).group(1), end="")
PY
}

# expect_logins CODES COMMAND...: COMMAND DATABASE USER CODE exits with each
# of CODES (7 exit codes) for: alice's code, the same again, eve (enrolling
# is optional), sam (SSO), bob (must enroll first), ghost, and no database.
expect_logins() {
  local codes
  read -ra codes <<<"$1"
  shift
  expect_exit "${codes[0]}" "$@" "$MFA_DB" alice "$CODE"
  expect_exit "${codes[1]}" "$@" "$MFA_DB" alice "$CODE"
  expect_exit "${codes[2]}" "$@" "$MFA_DB" eve 000000
  expect_exit "${codes[3]}" "$@" "$MFA_DB" sam 000000
  expect_exit "${codes[4]}" "$@" "$MFA_DB" bob 000000
  expect_exit "${codes[5]}" "$@" "$MFA_DB" ghost 000000
  expect_exit "${codes[6]}" "$@" "$MISSING" alice "$CODE"
  expect_contains "$ERR" "mfa init"
  expect_nothing_created
}

# build_example COMPILER FILE FLAGS...: ./login from FILE, on the built libmfa.
build_example() {
  local compiler=$1 file=$2 sanitize=()
  shift 2
  [ -z "${MFA_SANITIZE:-}" ] || sanitize=(-fsanitize="$MFA_SANITIZE")
  "$compiler" "$@" -Wall -Wextra -pedantic -Werror "${sanitize[@]}" -I"$HERE/../../lib/include" -o login "$file" \
    -L"$LIBDIR" -lmfa -Wl,-rpath,"$LIBDIR" || fail "the README's example $file does not build"
}

case_the_c_example_builds_and_fails_closed() {
  make_login_fixture
  readme_example c login.c
  build_example gcc login.c -std=c99
  expect_logins "0 1 0 0 4 3 6" ./login
}

case_the_cpp_example_builds_and_fails_closed() {
  make_login_fixture
  readme_example cpp login.cpp
  build_example g++ login.cpp -std=c++20
  expect_logins "0 1 0 0 1 1 6" ./login
}

case_the_python_example_runs_and_fails_closed() {
  make_login_fixture
  readme_example python login.py
  export LD_LIBRARY_PATH=$LIBDIR
  expect_logins "0 1 0 0 4 3 6" "${PRELOAD[@]}" python3 login.py
}

run_cases
