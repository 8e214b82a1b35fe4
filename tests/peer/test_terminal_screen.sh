#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The enrollment screen in a real terminal: in an 80x24 tmux window the
# text and the QR code of a 20-character issuer and name all fit; in tmux and
# in a real xterm under Xvfb, on a light and on a dark background, with and
# without NO_COLOR, the screen decodes to the URI with zbarimg.
source "$(dirname "$0")/../cli/lib.sh"
PEER=$(cd "$(dirname "$0")" && pwd)

NAME=abcdefghij.klmnopqrs   # 20 characters
ISSUER="Example Corporation1" # 20 characters

# prepare [VAR=VALUE...]: the user with a pending enrollment ($URI), and
# show.sh, which shows it again on a clear screen with those variables set
# (and COLORFGBG unset, so the terminal is asked for its background), and
# keeps the terminal's settings from before and after in stty-*.
prepare() {
  mfa -y options set internalMFA required >/dev/null 2>&1
  mfa -y options set mfaIssuer "$ISSUER" >/dev/null 2>&1
  mfa users add "$NAME" >/dev/null 2>&1
  cat >show.sh <<SH
clear
stty -g >'$PWD/stty-before'
env -u COLORFGBG $* MFA_DB='$MFA_DB' '$MFA_BIN' enroll --show $NAME
stty -g >'$PWD/stty-after'
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

# tmux_screen STYLE FG BG: runs show.sh in an 80x24 tmux window whose
# window-style is STYLE (none: tmux's default) and checks that every line
# mfa printed is on the screen, with a row to spare for the prompt; then
# that the screen, painted as a terminal with that ink FG and background BG
# ("light" or "dark") would, decodes to the URI.
tmux_screen() {
  command -v tmux >/dev/null || skip "no tmux"
  local session=mfa-qr-$$
  if [ "$1" = none ]; then : >tmux.conf; else echo "set -g window-style '$1'" >tmux.conf; fi
  tmux -L "$session" -f tmux.conf new-session -d -x 80 -y 24 -s q "bash --norc --noprofile show.sh"
  wait_for shown
  tmux -L "$session" capture-pane -t q -p >screen.txt
  tmux -L "$session" capture-pane -t q -p -e >screen-sgr.txt
  tmux -L "$session" kill-server
  expect_eq "$(cat stty-after)" "$(cat stty-before)"
  expect_contains "$(head -n 1 screen.txt)" "otpauth://totp/"
  expect_contains "$(cat screen.txt)" "secret:"
  expect_contains "$(cat screen.txt)" "mfa enroll $NAME --confirm CODE"
  local used
  used=$(grep -c . screen.txt)
  [ "$used" -le 23 ] || fail "$used of 24 rows used"
  python3 -c 'import sys; sys.exit(any(len(l.rstrip("\n")) > 80 for l in open(sys.argv[1], encoding="utf-8")))' \
    screen.txt || fail "a line is wider than 80 columns"
  # The whole screen, text included, as a camera would see it.
  python3 "$PEER/terminal_qr_to_pbm.py" screen "$2" "$3" <screen-sgr.txt >screen.pbm || fail "cannot paint the screen"
  expect_eq "$(zbarimg --raw -q screen.pbm)" "$URI"
}

case_everything_fits_an_80x24_tmux_window() {
  prepare
  tmux_screen none light dark
}

case_with_colour_a_dark_tmux_window_decodes() {
  prepare
  tmux_screen "bg=black,fg=white" light dark
}

case_with_NO_COLOR_a_light_tmux_window_decodes() {
  prepare NO_COLOR=1
  tmux_screen "bg=white,fg=black" dark light
}

# tmux answers the OSC 11 query with the window-style background.
case_with_NO_COLOR_a_dark_tmux_window_decodes() {
  prepare NO_COLOR=1
  tmux_screen "bg=black,fg=white" light dark
}

# COLORFGBG names the background without a query, wherever stdout goes.
case_with_NO_COLOR_COLORFGBG_names_the_background() {
  prepare
  NO_COLOR=1 COLORFGBG='15;0' mfa enroll --show "$NAME" --qr utf8 >dark.txt 2>err || fail "enroll --show failed"
  NO_COLOR=1 COLORFGBG='0;15' mfa enroll --show "$NAME" --qr utf8 >light.txt 2>err || fail "enroll --show failed"
  # On a dark background the glyphs are the light modules; on light, the dark.
  grep -v '^otpauth\|^secret' dark.txt | python3 "$PEER/terminal_qr_to_pbm.py" utf8 >dark.pbm
  grep -v '^otpauth\|^secret' light.txt | python3 "$PEER/terminal_qr_to_pbm.py" utf8-ink >light.pbm
  expect_eq "$(zbarimg --raw -q dark.pbm)" "$URI"
  expect_eq "$(zbarimg --raw -q light.pbm)" "$URI"
}

start_xvfb() {
  for tool in Xvfb xterm import; do
    command -v $tool >/dev/null || skip "no $tool"
  done
  fc-list | grep -q "DejaVu Sans Mono" || skip "no DejaVu Sans Mono font"
  export DISPLAY=:$((90 + RANDOM % 800))
  Xvfb "$DISPLAY" -screen 0 1024x768x24 -br -nolisten tcp >/dev/null 2>&1 &
  XVFB=$!
  sleep 1
}

stop_xvfb() {
  kill "$XVFB"
  wait "$XVFB" 2>/dev/null
}

screenshot() { # BACKGROUND FOREGROUND FONT_SIZE: shot-BACKGROUND-FONT_SIZE.png
  rm -f shown
  xterm -geometry 80x24+0+0 -fa "DejaVu Sans Mono" -fs "$3" -bg "$1" -fg "$2" -e bash --norc --noprofile show.sh &
  local term=$!
  wait_for shown
  sleep 0.5 # xterm paints after the text arrives; nothing to wait on but the picture
  import -display "$DISPLAY" -window root "shot-$1-$3.png" 2>/dev/null
  kill "$term" 2>/dev/null
  wait "$term" 2>/dev/null
}

case_a_screenshot_of_a_light_and_a_dark_xterm_decodes() {
  start_xvfb
  prepare
  screenshot white black 10
  screenshot black white 10
  stop_xvfb
  expect_eq "$(zbarimg --raw -q shot-white-10.png 2>/dev/null)" "$URI"
  expect_eq "$(zbarimg --raw -q shot-black-10.png 2>/dev/null)" "$URI"
}

# xterm answers the OSC 11 query with its -bg colour. At 12 points (on this
# 75 dpi screen) DejaVu Sans Mono's half blocks fill the cell; at 8, 10, 11
# and 14-16 they leave a one-pixel line between text rows, which zbarimg
# does not read through when it is light across the dark modules (without
# colour on a light background); on a dark one it runs through the light
# modules, as with colour, and the code decodes at 10 points too.
case_with_NO_COLOR_a_screenshot_of_a_light_and_a_dark_xterm_decodes() {
  start_xvfb
  prepare NO_COLOR=1
  screenshot white black 12
  screenshot black white 12
  screenshot black white 10
  stop_xvfb
  expect_eq "$(zbarimg --raw -q shot-white-12.png 2>/dev/null)" "$URI"
  expect_eq "$(zbarimg --raw -q shot-black-12.png 2>/dev/null)" "$URI"
  expect_eq "$(zbarimg --raw -q shot-black-10.png 2>/dev/null)" "$URI"
}

run_cases
