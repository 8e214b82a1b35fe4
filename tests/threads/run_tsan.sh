#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds the threading test (one_database_per_thread.cpp) and the library
# with ThreadSanitizer in a build folder of its own, then runs it: any data
# race in libmfa, as the threading rule uses it, fails the test.
#   run_tsan.sh SOURCE_DIR BUILD_DIR CXX_COMPILER [CMAKE_CXX_COMPILER_LAUNCHER]
# The system libraries (SQLite, OpenSSL, libstdc++) are not instrumented:
# TSan sees their locks (pthread is intercepted) but not their memory.
set -euo pipefail
source_dir=$1 build_dir=$2 compiler=$3 launcher=${4:-}
cmake -S "$source_dir" -B "$build_dir" -DCMAKE_CXX_COMPILER="$compiler" \
  -DMFA_SANITIZE=thread -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  ${launcher:+-DCMAKE_CXX_COMPILER_LAUNCHER="$launcher"} >/dev/null
cmake --build "$build_dir" -j2 --target mfa_thread_test >/dev/null
TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1 ${TSAN_OPTIONS:-}" \
  "$build_dir/tests/mfa-thread-test" "$build_dir/thread-test"
