#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cpack -G DEB makes a Debian package with every file and the right runtime
# dependencies. (.ci/run also installs it with apt-get and removes it again.)
source "$(dirname "$0")/../cli/lib.sh"
: "${MFA_BUILD_DIR:?}"

case_the_deb_has_the_files_and_dependencies() {
  (cd "$MFA_BUILD_DIR" && cpack -G DEB -B "$OLDPWD/deb" >/dev/null) || fail "cpack failed"
  local deb
  deb=$(ls deb/mfa_*_amd64.deb deb/mfa_*_*.deb 2>/dev/null | head -n 1)
  [ -n "$deb" ] || fail "no .deb was made"
  expect_exit 0 dpkg-deb -I "$deb"
  expect_contains "$OUT" "Package: mfa"
  expect_contains "$OUT" "Version: 0.1.0"
  local dep
  for dep in libc6 libstdc++6 libssl3 libsqlite3-0 libqrcodegencpp1 libpam0g; do
    expect_contains "$OUT" "$dep"
  done
  expect_not_contains "$OUT" "libsqlitecpp"
  expect_exit 0 dpkg-deb -c "$deb"
  for f in ./usr/bin/mfa ./usr/lib/libmfa.so.0.1.0 ./usr/include/mfa/verify.hpp ./usr/lib/cmake/mfa/mfaConfig.cmake \
    ./usr/lib/pkgconfig/mfa.pc ./usr/share/man/man1/mfa.1.gz ./usr/share/bash-completion/completions/mfa \
    ./usr/share/zsh/vendor-completions/_mfa ./usr/share/fish/vendor_completions.d/mfa.fish \
    ./usr/share/doc/mfa/copyright ./usr/lib/x86_64-linux-gnu/security/pam_mfa.so ./usr/share/man/man8/pam_mfa.8.gz; do
    expect_contains "$OUT" " $f"
  done
}

run_cases
