#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The code prompt turns echo off; however the process ends while it waits
# (Ctrl-C, a hang-up, kill), the terminal gets its echo back.
source "$(dirname "$0")/lib.sh"

# interrupt_at_prompt KEYS_OR_SIGNAL: runs `mfa verify alice` on a pseudo-
# terminal, waits for "Code: ", then types \x03 (Ctrl-C) or sends the named
# signal; prints "exit=N echo=on|off" once mfa has ended.
interrupt_at_prompt() {
  python3 - "$MFA_BIN" "$1" <<'PY'
import os, pty, select, signal, sys, termios, time
binary, how = sys.argv[1], sys.argv[2]
pid, fd = pty.fork()
if pid == 0:
    os.execv(binary, [binary, "verify", "alice"])
seen, deadline = b"", time.monotonic() + 20
while b"Code: " not in seen and time.monotonic() < deadline:
    if select.select([fd], [], [], 0.1)[0]:
        seen += os.read(fd, 1024)
if b"Code: " not in seen:
    print("no prompt:", seen)
    sys.exit(1)
time.sleep(0.2)  # the prompt is printed once echo is off; let it settle
if how == "ctrl-c":
    os.write(fd, b"\x03")
else:
    os.kill(pid, getattr(signal, how))
_, status = os.waitpid(pid, 0)
code = os.waitstatus_to_exitcode(status)
echo = "on" if termios.tcgetattr(fd)[3] & termios.ECHO else "off"
print(f"exit={code} echo={echo}")
PY
}

case_ctrl_c_or_a_signal_at_the_code_prompt_gives_the_terminal_its_echo_back() {
  setup_story
  mfa users add alice >/dev/null 2>&1
  enroll_user alice
  local how before
  before=$(db_state)
  for how in ctrl-c SIGTERM SIGHUP SIGQUIT; do
    OUT=$(interrupt_at_prompt "$how") || fail "$how: $OUT"
    expect_contains "$OUT" "echo=on"
    expect_not_contains "$OUT" "exit=0"
  done
  # Nothing was counted: no code was given.
  expect_eq "$(db_state)" "$before"
}

run_cases
