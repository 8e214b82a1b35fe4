#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The C and Python examples of README.md's "For application developers" run
# as written against the built libmfa, and fail closed.
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

# expect_logins COMMAND...: COMMAND DATABASE USER CODE exits as mfa would.
expect_logins() {
  expect_exit 0 "$@" "$MFA_DB" alice "$CODE"
  expect_exit 1 "$@" "$MFA_DB" alice "$CODE" # a code works once
  expect_exit 0 "$@" "$MFA_DB" eve 000000    # enrolling is optional for eve
  expect_exit 0 "$@" "$MFA_DB" sam 000000    # SSO
  expect_exit 4 "$@" "$MFA_DB" bob 000000    # must enroll first
  expect_exit 3 "$@" "$MFA_DB" ghost 000000
  expect_exit 6 "$@" "$MISSING" alice "$CODE"
  expect_contains "$ERR" "mfa init"
  expect_nothing_created
}

case_the_c_example_builds_and_fails_closed() {
  make_login_fixture
  readme_example c login.c
  local sanitize=()
  [ -z "${MFA_SANITIZE:-}" ] || sanitize=(-fsanitize="$MFA_SANITIZE")
  gcc -std=c99 -Wall -Wextra -pedantic -Werror "${sanitize[@]}" -I"$HERE/../../lib/include" -o login login.c \
    -L"$LIBDIR" -lmfa -Wl,-rpath,"$LIBDIR" || fail "the README's C example does not build"
  expect_logins ./login
}

case_the_python_example_runs_and_fails_closed() {
  make_login_fixture
  readme_example python login.py
  export LD_LIBRARY_PATH=$LIBDIR
  expect_logins "${PRELOAD[@]}" python3 login.py
}

run_cases
