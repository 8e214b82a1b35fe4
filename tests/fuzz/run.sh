#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs every libFuzzer target of a fuzz build for a bounded time each,
# starting from the committed seed corpus, and fails on any crash, leak,
# sanitizer report, timeout or failed property. Prints the executions each
# target reached. Inputs that fail are kept in BUILD/fuzz/artifacts.
#
# Usage: tests/fuzz/run.sh BUILD_DIR [SECONDS_PER_TARGET (default 50)] [TARGET...]
set -euo pipefail
build=$(cd "$1" && pwd)
seconds=${2:-50}
shift $(($# > 1 ? 2 : 1))
here=$(cd "$(dirname "$0")" && pwd)
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for source in "$here"/fuzz_*.cpp; do
    name=$(basename "$source" .cpp)
    targets+=("${name#fuzz_}")
  done
fi
symbolizer=$(command -v llvm-symbolizer-14 || command -v llvm-symbolizer || true)
[ -z "$symbolizer" ] || export ASAN_SYMBOLIZER_PATH="$symbolizer"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"

failed=0
summary=()
for name in "${targets[@]}"; do
  binary=$build/tests/fuzz/fuzz_$name
  [ -x "$binary" ] || { echo "no fuzz target $binary (build with --target mfa_fuzzers)" >&2; exit 1; }
  [ -d "$here/corpus/$name" ] || { echo "no seed corpus $here/corpus/$name" >&2; exit 1; }
  work=$build/fuzz/corpus/$name
  artifacts=$build/fuzz/artifacts
  mkdir -p "$work" "$artifacts"
  log=$build/fuzz/$name.log
  echo "+ fuzz $name for ${seconds} s"
  rc=0
  "$binary" "$work" "$here/corpus/$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$artifacts/$name-" >"$log" 2>&1 || rc=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -n 1 || true)
  inputs=$(find "$work" -type f | wc -l)
  if [ "$rc" -ne 0 ]; then
    failed=1
    tail -n 60 "$log" >&2
    summary+=("fuzz $name: FAILED (exit $rc) after ${runs:-?} executions; input kept in $artifacts, log $log")
  else
    summary+=("fuzz $name: ${runs:-?} executions in ${seconds} s, ${cov:-cov: ?} edges, corpus $inputs inputs, no crash or leak")
  fi
done
printf '%s\n' "${summary[@]}"
exit "$failed"
