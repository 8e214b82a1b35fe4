#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Differential test: libmfa's TOTP codes equal oathtool's for random secrets,
# algorithms, digits, periods and times (past 2038 too).
source "$(dirname "$0")/../cli/lib.sh"
: "${MFA_TESTTOOL:?}"

case_random_cases_match_oathtool() {
  local i key alg digits period now ours theirs
  local algs=(SHA1 SHA256 SHA512)
  for i in $(seq 1 150); do
    key=$(head -c $((10 + RANDOM % 55)) /dev/urandom | od -An -tx1 | tr -d ' \n')
    alg=${algs[RANDOM % 3]}
    digits=$((RANDOM % 2 == 0 ? 6 : 8))
    period=$((15 + RANDOM % 286))
    now=$(((RANDOM << 15 | RANDOM) * (RANDOM % 16 + 1)))
    ours=$("$MFA_TESTTOOL" totp "$key" "$alg" "$digits" "$period" "$now")
    theirs=$(oathtool --totp="$alg" --digits="$digits" --time-step-size="${period}s" --now="@$now" "$key")
    [ "$ours" = "$theirs" ] || fail "key=$key alg=$alg digits=$digits period=$period now=$now: ours $ours, oathtool $theirs"
  done
}

case_edge_times_match_oathtool() {
  local key=3132333435363738393031323334353637383930 now
  for now in 0 1 29 30 2147483647 2147483648 4294967296 20000000000; do
    expect_eq "$("$MFA_TESTTOOL" totp $key SHA1 6 30 $now)" "$(oathtool --totp --now="@$now" $key)"
  done
}

run_cases
