#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks that CTest runs every doctest case, each in exactly one entry.

Usage: check_unit_registration.py CTEST BUILD_DIR UNIT_TESTS

doctest_discover_tests makes one CTest entry per case name, but CTest splits
a name at ';', and doctest reads '*', '?' and ',' in a --test-case filter as
patterns; such a case becomes entries that run nothing (and pass) or run more
than their own case. This asks CTest for every entry that runs UNIT_TESTS,
asks doctest which cases each entry's own arguments select, and fails unless
every entry selects exactly one case and together they select every case
once.
"""
import json
import subprocess
import sys


def case_names(unit_tests, args):
    out = subprocess.run([unit_tests, *args, "--list-test-cases"], check=True,
                         capture_output=True, text=True).stdout
    return [line for line in out.splitlines()
            if line and not line.startswith("[doctest]") and not set(line) == {"="}]


def main():
    ctest, build_dir, unit_tests = sys.argv[1:4]
    listing = json.loads(subprocess.run([ctest, "--test-dir", build_dir, "--show-only=json-v1"],
                                        check=True, capture_output=True, text=True).stdout)
    problems = []
    selected = {}
    entries = 0
    for test in listing["tests"]:
        command = test.get("command", [])
        if not command or command[0] != unit_tests:
            continue
        entries += 1
        names = case_names(unit_tests, command[1:])
        if len(names) != 1:
            problems.append(f"CTest test '{test['name']}' runs {len(names)} doctest cases: {names}")
        for name in names:
            selected.setdefault(name, []).append(test["name"])
    every = case_names(unit_tests, [])
    for name in every:
        owners = selected.get(name, [])
        if len(owners) != 1:
            problems.append(f"doctest case '{name}' is run by {len(owners)} CTest tests: {owners}")
    for problem in problems:
        print("FAIL:", problem)
    print(f"{len(every)} doctest cases, {entries} CTest entries, {len(problems)} problems")
    return 1 if problems or not every else 0


if __name__ == "__main__":
    sys.exit(main())
