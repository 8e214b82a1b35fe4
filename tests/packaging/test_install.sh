#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cmake --install puts every file where it is documented, and an application
# builds against the installed libmfa both through find_package(mfa) and
# through pkg-config, without any of mfa's sources; from C++ and from C, and
# Python drives the installed library through ctypes.
source "$(dirname "$0")/../cli/lib.sh"
source "$(dirname "$0")/../c_abi/fixture.sh"
: "${MFA_BUILD_DIR:?}" "${MFA_SOURCE_DIR:?}"

install_prefix() {
  cmake --install "$MFA_BUILD_DIR" --prefix "$PWD/prefix" >/dev/null || fail "cmake --install failed"
}

# installed_login_fixture: the installed prefix, and the C ABI tests' database
# (tests/c_abi/fixture.sh) made by the installed `mfa`.
installed_login_fixture() {
  install_prefix
  MFA_BIN=$PWD/prefix/bin/mfa
  make_login_fixture
}

# expect_consumer_logs_in COMMAND...: the C (or Python) consumer verifies
# alice's login once, and refuses the same code again.
expect_consumer_logs_in() {
  expect_exit 0 "$@" "$MFA_DB" alice "$CODE"
  expect_eq "$OUT" "libmfa $VERSION"$'\ndecision: verify\nverify: accepted'
  expect_exit 1 "$@" "$MFA_DB" alice "$CODE"
  expect_contains "$OUT" "reused"
  expect_exit 3 "$@" "$MFA_DB" ghost "$CODE"
  expect_contains "$ERR" "ghost"
}

# expect_c_consumer_logs_in PROGRAM: and PROGRAM links the installed libmfa.
expect_c_consumer_logs_in() {
  expect_consumer_logs_in "$1"
  expect_contains "$(ldd "$1")" "$PWD/prefix/"
}

case_every_file_lands_where_stated() {
  install_prefix
  local f
  for f in bin/mfa lib/libmfa.so lib/libmfa.so.0 lib/libmfa.so.0.1.0 include/mfa/database.hpp \
    include/mfa/verify.hpp include/mfa/mfa.h lib/cmake/mfa/mfaConfig.cmake lib/cmake/mfa/mfaConfigVersion.cmake \
    lib/cmake/mfa/mfaTargets.cmake lib/pkgconfig/mfa.pc share/man/man1/mfa.1.gz \
    share/bash-completion/completions/mfa share/zsh/vendor-completions/_mfa \
    share/fish/vendor_completions.d/mfa.fish share/doc/mfa/README.md share/doc/mfa/copyright \
    "lib/$(gcc -print-multiarch)/security/pam_mfa.so" share/man/man8/pam_mfa.8.gz; do
    [ -e "prefix/$f" ] || fail "prefix/$f was not installed"
  done
  expect_eq "$(objdump -p prefix/lib/libmfa.so.0.1.0 | awk '/SONAME/ {print $2}')" libmfa.so.0
  expect_contains "$(cat prefix/share/doc/mfa/copyright)" "MIT License"
  expect_exit 0 prefix/bin/mfa --version
  expect_exit 0 man -M prefix/share/man -w mfa
  expect_exit 0 man -M prefix/share/man -w pam_mfa
  # The module exports PAM's entry points and nothing else.
  expect_eq "$(nm -D --defined-only "prefix/lib/$(gcc -print-multiarch)/security/pam_mfa.so" | awk '{print $3}' | sort | tr '\n' ' ')" \
    "pam_sm_authenticate pam_sm_setcred "
  # The public headers name no third-party type.
  if grep -lE 'SQLiteCpp|openssl|qrcodegen|nlohmann' prefix/include/mfa/*.hpp prefix/include/mfa/*.h; then
    fail "a public header includes a third-party library"
  fi
}

case_a_consumer_builds_with_find_package_and_runs() {
  install_prefix
  cmake -S "$MFA_SOURCE_DIR/tests/consumer" -B consumer -DCMAKE_PREFIX_PATH="$PWD/prefix" >/dev/null \
    || fail "configuring the consumer failed"
  cmake --build consumer >/dev/null || fail "building the consumer failed"
  expect_exit 0 consumer/consumer "$PWD/app.db"
  expect_eq "$OUT" $'before: enroll-required\nconfirmed: yes\nafter: verify\nverify: accepted\nreplay: reused'
  # The binary links the installed library, not the build tree's.
  expect_contains "$(ldd consumer/consumer)" "$PWD/prefix/"
}

case_a_c_consumer_builds_with_find_package_and_logs_in() {
  installed_login_fixture
  cmake -S "$MFA_SOURCE_DIR/tests/consumer" -B consumer -DCMAKE_PREFIX_PATH="$PWD/prefix" >/dev/null \
    || fail "configuring the consumer failed"
  cmake --build consumer --target consumer_c >/dev/null || fail "building the C consumer failed"
  expect_c_consumer_logs_in consumer/consumer_c
}

case_a_consumer_builds_with_pkg_config_and_runs() {
  install_prefix
  local flags
  flags=$(PKG_CONFIG_PATH="$PWD/prefix/lib/pkgconfig" pkg-config --cflags --libs mfa) || fail "pkg-config failed"
  # The C++ API needs C++20, which the consumer asks for: Cflags serve C too.
  # shellcheck disable=SC2086
  g++ -std=c++20 -o consumer-pc "$MFA_SOURCE_DIR/tests/consumer/main.cpp" $flags -Wl,-rpath,"$PWD/prefix/lib" \
    || fail "building with pkg-config failed"
  expect_exit 0 ./consumer-pc "$PWD/pc.db"
  expect_contains "$OUT" "verify: accepted"
  expect_contains "$OUT" "replay: reused"
}

case_a_c_consumer_builds_with_pkg_config_and_logs_in() {
  installed_login_fixture
  local flags
  flags=$(PKG_CONFIG_PATH="$PWD/prefix/lib/pkgconfig" pkg-config --cflags --libs mfa) || fail "pkg-config failed"
  expect_not_contains "$flags" "-std="
  # shellcheck disable=SC2086
  gcc -std=c99 -Wall -Wextra -pedantic -Werror -o consumer-c "$MFA_SOURCE_DIR/tests/consumer/main.c" $flags \
    -Wl,-rpath,"$PWD/prefix/lib" || fail "building the C consumer with pkg-config failed"
  expect_c_consumer_logs_in ./consumer-c
}

case_a_python_consumer_logs_in_through_ctypes() {
  installed_login_fixture
  expect_consumer_logs_in python3 "$MFA_SOURCE_DIR/tests/consumer/consumer.py" "$PWD/prefix/lib/libmfa.so.0"
}

case_python_drives_the_installed_library_through_ctypes() {
  installed_login_fixture
  expect_exit 0 python3 "$MFA_SOURCE_DIR/tests/c_abi/test_ctypes.py" "$PWD/prefix/lib/libmfa.so.0" "$MFA_DB" "$CODE" \
    "$OTHER_KEY" "$MISSING" "$VERSION"
  expect_contains "$OUT" "every return code seen"
  expect_nothing_created
  expect_c_api_audited
}

run_cases
