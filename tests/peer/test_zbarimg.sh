#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Every QR rendering decodes with zbarimg to exactly the URI it was made from.
source "$(dirname "$0")/../cli/lib.sh"
: "${MFA_TESTTOOL:?}"
PEER=$(cd "$(dirname "$0")" && pwd)

uris() {
  echo "otpauth://totp/MFA:al?secret=JBSWY3DPEHPK3PXP&issuer=MFA&algorithm=SHA1&digits=6&period=30"
  echo "otpauth://totp/Case%20IQ:alice%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Case%20IQ&algorithm=SHA1&digits=6&period=30"
  echo "otpauth://totp/Zo%C3%AB%20%26%20Co:%E6%97%A5%E6%9C%AC%3A%23%3F%2F%25?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Zo%C3%AB%20%26%20Co&algorithm=SHA512&digits=8&period=60"
  printf 'otpauth://totp/MFA:%s?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=MFA&algorithm=SHA256&digits=6&period=30\n' \
    "$(printf 'x%.0s' $(seq 1 256))"
}

decode_terminal() { # FORM URI
  # Without colour the glyphs are the dark modules (ink); with, the light ones.
  local seen=utf8-ink
  case $1 in utf8-colour) seen=utf8 ;; ansi) seen=ansi ;; esac
  "$MFA_TESTTOOL" qr "$1" "$2" | python3 "$PEER/terminal_qr_to_pbm.py" "$seen" >qr.pbm || fail "render $1"
  zbarimg --raw -q qr.pbm
}

case_utf8_rendering_decodes_to_the_uri() {
  while read -r uri; do
    expect_eq "$(decode_terminal utf8 "$uri")" "$uri"
    expect_eq "$(decode_terminal utf8-colour "$uri")" "$uri"
  done < <(uris)
}

case_ansi_rendering_decodes_to_the_uri() {
  while read -r uri; do
    expect_eq "$(decode_terminal ansi "$uri")" "$uri"
  done < <(uris)
}

case_svg_decodes_to_the_uri_with_two_renderers() {
  while read -r uri; do
    "$MFA_TESTTOOL" qr svg "$uri" >qr.svg
    convert qr.svg qr-im.png
    expect_eq "$(zbarimg --raw -q qr-im.png)" "$uri"
    rsvg-convert -o qr-rsvg.png qr.svg
    expect_eq "$(zbarimg --raw -q qr-rsvg.png)" "$uri"
  done < <(uris)
}

case_a_damaged_picture_does_not_decode() {
  # The check above could pass by accident only if zbarimg read anything;
  # show it does not read a picture with the finder patterns wiped.
  local uri
  uri=$(uris | head -n 1)
  "$MFA_TESTTOOL" qr utf8 "$uri" | sed '3,9s/.*/                                         /' \
    | python3 "$PEER/terminal_qr_to_pbm.py" utf8-ink >bad.pbm
  expect_exit 4 zbarimg --raw -q bad.pbm
}

run_cases
