#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Runs a command on a pseudo-terminal (stdin, stdout and stderr), as a person
at a shell would, optionally answering a [y/N] prompt. Prints everything the
command wrote to the terminal and exits with the command's exit code.

usage: pty_run.py [--prompt TEXT] [--answer TEXT] -- COMMAND [ARG...]
(--prompt: what to wait for before answering; "[y/N]" by default)
"""
import os
import pty
import select
import sys
import time


def main() -> int:
    args = sys.argv[1:]
    answer = None
    prompt = b"[y/N]"
    if args[:1] == ["--prompt"]:
        prompt = args[1].encode()
        args = args[2:]
    if args[:1] == ["--answer"]:
        answer = args[1]
        args = args[2:]
    if args[:1] == ["--"]:
        args = args[1:]
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(args[0], args)
    output = b""
    answered = answer is None
    deadline = time.monotonic() + 60
    # Read until the terminal closes (EOF or EIO once the command exits).
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
        if not answered and prompt in output:
            os.write(fd, answer.encode() + b"\n")
            answered = True
    else:
        os.kill(pid, 9)
        sys.stdout.buffer.write(output)
        print("pty_run: timed out", file=sys.stderr)
        return 124
    _, status = os.waitpid(pid, 0)
    sys.stdout.buffer.write(output)
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    sys.exit(main())
