#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The enrollment screen in a real terminal: in an 80x24 tmux window the
# text and the QR code of a 20-character issuer and name all fit; in a real
# xterm under Xvfb, on a light and on a dark background, zbarimg decodes the
# URI from a screenshot.
source "$(dirname "$0")/../cli/lib.sh"
PEER=$(cd "$(dirname "$0")" && pwd)

NAME=abcdefghij.klmnopqrs   # 20 characters
ISSUER="Example Corporation1" # 20 characters

prepare() {
  mfa -y options set internalMFA required >/dev/null 2>&1
  mfa -y options set mfaIssuer "$ISSUER" >/dev/null 2>&1
  mfa users add "$NAME" >/dev/null 2>&1
  cat >show.sh <<SH
clear
MFA_DB='$MFA_DB' '$MFA_BIN' enroll --show $NAME
printf done >'$PWD/shown'
sleep 30
SH
  mfa --json enroll "$NAME" >start.json || fail "enroll failed"
  URI=$(python3 -c 'import json; print(json.load(open("start.json"))["uri"])')
}

wait_for() { # FILE
  local i
  for i in $(seq 1 100); do
    [ -e "$1" ] && return 0
    sleep 0.1
  done
  fail "$1 never appeared"
}

case_everything_fits_an_80x24_tmux_window() {
  command -v tmux >/dev/null || skip "no tmux"
  prepare
  local session=mfa-qr-$$
  tmux -L "$session" new-session -d -x 80 -y 24 -s q "bash --norc --noprofile show.sh"
  wait_for shown
  tmux -L "$session" capture-pane -t q -p >screen.txt
  tmux -L "$session" kill-server
  # Every line mfa printed is on the screen: the URI's start, the secret, the
  # code's top and bottom rows, the hint, with a row to spare for the prompt.
  expect_contains "$(head -n 1 screen.txt)" "otpauth://totp/"
  expect_contains "$(cat screen.txt)" "secret:"
  expect_contains "$(cat screen.txt)" "mfa enroll $NAME --confirm CODE"
  local used
  used=$(grep -c . screen.txt)
  [ "$used" -le 23 ] || fail "$used of 24 rows used"
  python3 -c 'import sys; sys.exit(any(len(l.rstrip("\n")) > 80 for l in open(sys.argv[1], encoding="utf-8")))' \
    screen.txt || fail "a line is wider than 80 columns"
  # And the code on that screen decodes (the cells as a camera would see them).
  # (The code's columns, cut from the screen: where its first row starts.)
  python3 -c '
import sys
rows = [l.rstrip("\n") for l in open(sys.argv[1], encoding="utf-8")]
start = min(l.index(c) for l in rows for c in "\u2580\u2584\u2588" if c in l)
for l in rows:
    part = l[start:]
    if any(c in part for c in "\u2580\u2584\u2588"):
        print(part)' screen.txt | python3 "$PEER/terminal_qr_to_pbm.py" utf8 >screen.pbm
  expect_eq "$(zbarimg --raw -q screen.pbm)" "$URI"
}

screenshot() { # BACKGROUND FOREGROUND
  rm -f shown
  xterm -geometry 80x24+0+0 -fa "DejaVu Sans Mono" -fs 10 -bg "$1" -fg "$2" -e bash --norc --noprofile show.sh &
  local term=$!
  wait_for shown
  sleep 0.5 # xterm paints after the text arrives; nothing to wait on but the picture
  import -display "$DISPLAY" -window root -crop 800x500+0+0 "shot-$1.png" 2>/dev/null
  kill "$term" 2>/dev/null
  wait "$term" 2>/dev/null
}

case_a_screenshot_of_a_light_and_a_dark_xterm_decodes() {
  for tool in Xvfb xterm import; do
    command -v $tool >/dev/null || skip "no $tool"
  done
  fc-list | grep -q "DejaVu Sans Mono" || skip "no DejaVu Sans Mono font"
  prepare
  export DISPLAY=:$((90 + RANDOM % 800))
  Xvfb "$DISPLAY" -screen 0 1024x768x24 -nolisten tcp >/dev/null 2>&1 &
  local server=$!
  sleep 1
  screenshot white black
  screenshot black white
  kill "$server"
  wait "$server" 2>/dev/null
  expect_eq "$(zbarimg --raw -q shot-white.png 2>/dev/null)" "$URI"
  expect_eq "$(zbarimg --raw -q shot-black.png 2>/dev/null)" "$URI"
}

run_cases
