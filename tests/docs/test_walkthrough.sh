#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The README's walkthrough runs as written, line by line, in one shell, from
# an empty folder: each command exits 0, or the code its comment names
# ("# exit 1: ..."), and a `status` line prints the decision its comment
# names. Only the confirmation questions are answered by --yes.
source "$(dirname "$0")/../cli/lib.sh"
: "${MFA_SOURCE_DIR:?}"

NO_INIT="the_readme_walkthrough_runs_as_written"
case_the_readme_walkthrough_runs_as_written() {
  command -v oathtool >/dev/null || skip "no oathtool"
  python3 - "$MFA_SOURCE_DIR/README.md" >walkthrough.sh <<'PY' || fail "no walkthrough in README.md"
import re, shlex, sys
text = open(sys.argv[1], encoding="utf-8").read()
block = re.search(r"### Walkthrough.*?```sh\n(.*?)```", text, re.S).group(1)
print('mfa() { "$MFA_BIN" --yes "$@"; }')
count = 0
for number, line in enumerate(block.splitlines(), 1):
    command = line.split("  #")[0].strip()
    if not command or command.startswith("#"):
        continue
    comment = line[len(line.split("  #")[0]):].strip().lstrip("#").strip()
    want = re.match(r"exit (\d)", comment)
    want = int(want.group(1)) if want else 0
    count += 1
    print(f"{command} >out.txt 2>&1; rc=$?")
    print(f'[ "$rc" -eq {want} ] || {{ echo "line {number}: exit $rc, not {want}: "{shlex.quote(command)}; cat out.txt; exit 1; }}')
    decision = re.match(r"(none|enroll-required|enroll-optional|verify|locked)\b", comment)
    if command.startswith("mfa status") and decision:
        print(f'grep -qw -- {decision.group(1)} out.txt || {{ echo "line {number}: not {decision.group(1)}"; cat out.txt; exit 1; }}')
print(f"echo {count} commands ran")
PY
  expect_exit 0 bash walkthrough.sh
  expect_contains "$OUT" "commands ran"
}

run_cases
