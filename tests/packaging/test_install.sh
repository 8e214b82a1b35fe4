#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cmake --install puts every file where it is documented, and an application
# builds against the installed libmfa both through find_package(mfa) and
# through pkg-config, without any of mfa's sources.
source "$(dirname "$0")/../cli/lib.sh"
: "${MFA_BUILD_DIR:?}" "${MFA_SOURCE_DIR:?}"

install_prefix() {
  cmake --install "$MFA_BUILD_DIR" --prefix "$PWD/prefix" >/dev/null || fail "cmake --install failed"
}

case_every_file_lands_where_stated() {
  install_prefix
  local f
  for f in bin/mfa lib/libmfa.so lib/libmfa.so.0 lib/libmfa.so.0.1.0 include/mfa/database.hpp \
    include/mfa/verify.hpp lib/cmake/mfa/mfaConfig.cmake lib/cmake/mfa/mfaConfigVersion.cmake \
    lib/cmake/mfa/mfaTargets.cmake lib/pkgconfig/mfa.pc share/man/man1/mfa.1 \
    share/bash-completion/completions/mfa share/zsh/vendor-completions/_mfa \
    share/fish/vendor_completions.d/mfa.fish share/doc/mfa/README.md share/doc/mfa/copyright; do
    [ -e "prefix/$f" ] || fail "prefix/$f was not installed"
  done
  expect_eq "$(objdump -p prefix/lib/libmfa.so.0.1.0 | awk '/SONAME/ {print $2}')" libmfa.so.0
  expect_contains "$(cat prefix/share/doc/mfa/copyright)" "MIT License"
  expect_exit 0 prefix/bin/mfa --version
  expect_exit 0 man -M prefix/share/man -w mfa
  # The public headers name no third-party type.
  if grep -lE 'SQLiteCpp|openssl|qrcodegen|nlohmann' prefix/include/mfa/*.hpp; then
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

case_a_consumer_builds_with_pkg_config_and_runs() {
  install_prefix
  local flags
  flags=$(PKG_CONFIG_PATH="$PWD/prefix/lib/pkgconfig" pkg-config --cflags --libs mfa) || fail "pkg-config failed"
  # shellcheck disable=SC2086
  g++ -o consumer-pc "$MFA_SOURCE_DIR/tests/consumer/main.cpp" $flags -Wl,-rpath,"$PWD/prefix/lib" \
    || fail "building with pkg-config failed"
  expect_exit 0 ./consumer-pc "$PWD/pc.db"
  expect_contains "$OUT" "verify: accepted"
  expect_contains "$OUT" "replay: reused"
}

run_cases
