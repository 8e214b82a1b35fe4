#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Keeps the manual page and the shell completions in step with the binary:
every command and flag that `mfa --help` shows (recursively) appears in
man/mfa.1 and in each completion file, and neither names a command or flag
that the binary does not have.

usage: test_drift.py MFA_BINARY SOURCE_DIR
"""
import re
import subprocess
import sys
from pathlib import Path

FLAG = re.compile(r"(?<![\w-])--[a-z][a-z-]*")


def help_of(binary, path):
    out = subprocess.run([binary, *path, "--help"], capture_output=True, text=True, check=True).stdout
    flags, subs, section = set(), [], None
    for line in out.splitlines():
        if line.endswith(":") and not line.startswith(" "):
            section = line[:-1]
            continue
        # Entries are indented two spaces; deeper lines continue a wrapped description.
        if not line.startswith("  ") or line.startswith("   "):
            continue
        head = re.split(r"\s{2,}", line.strip())[0]
        if section == "Options":
            flags |= set(FLAG.findall(head))
        elif section == "Subcommands":
            subs.append(head)
        elif section == "Positionals":
            pass
    return flags, subs


def walk(binary):
    """{command path (tuple): flags}"""
    found = {}
    todo = [()]
    while todo:
        path = todo.pop()
        flags, subs = help_of(binary, list(path))
        found[path] = flags
        todo += [path + (s,) for s in subs]
    return found


def man_text(source):
    text = (source / "man/mfa.1").read_text()
    text = text.replace("\\-", "-").replace("\\(aq", "'")
    return re.sub(r"\\f[BIR]", "", text)


def main():
    binary, source = sys.argv[1], Path(sys.argv[2])
    commands = walk(binary)
    all_flags = set().union(*commands.values())
    names = {" ".join(p) for p in commands if p}
    words = {w for p in commands for w in p}
    problems = []

    man = man_text(source)
    synopsis = man[man.index(".SH SYNOPSIS"):man.index(".SH DESCRIPTION")]
    man_commands = set()
    for line in synopsis.splitlines():
        m = re.match(r"\.B mfa ([a-z -]+?)\s*$", line)
        if m:
            name = " ".join(w for w in m.group(1).split() if not w.startswith("-"))
            if name:
                man_commands.add(name)
    for name in sorted(names):
        if not re.search(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])", man):
            problems.append(f"man page: command '{name}' is missing")
        if name not in man_commands and not any(c.startswith(name + " ") for c in man_commands):
            problems.append(f"man page SYNOPSIS: command '{name}' is missing")
    for name in sorted(man_commands - names):
        problems.append(f"man page SYNOPSIS: '{name}' is not a command of the binary")
    for flag in sorted(all_flags - set(FLAG.findall(man))):
        problems.append(f"man page: flag '{flag}' is missing")
    for flag in sorted(set(FLAG.findall(man)) - all_flags):
        problems.append(f"man page: flag '{flag}' is not a flag of the binary")

    completions = {
        "bash": (source / "completions/mfa.bash").read_text(),
        "zsh": (source / "completions/_mfa").read_text(),
        "fish": (source / "completions/mfa.fish").read_text(),
    }
    # The command words each file offers, from its own constructs.
    offered = {
        "bash": set(w for _, block in re.findall(r'^\s*(""|options|users|backup-codes|audit|db|key)\)\s*\n\s*_mfa_words \$\'([^\']*)\'',
                                                 completions["bash"], re.M)
                    for w in block.split("\\n")),
        "zsh": set(re.findall(r"'([a-z-]+):[^']*'", completions["zsh"])),
        "fish": set(w for line in completions["fish"].splitlines() if "not __fish_seen_subcommand_from" in line
                    for a in re.findall(r"-a '([^'(]*)'", line) for w in a.split())
                | set(re.search(r"set -l commands (.*)", completions["fish"]).group(1).split()),
    }
    for shell, text in completions.items():
        flags = set(FLAG.findall(text))
        if shell == "fish":  # fish names long flags as "-l name"
            flags |= {"--" + f for f in re.findall(r"^complete -c mfa .*?-l ([a-z-]+)", text, re.M)}
        for flag in sorted(all_flags - flags):
            problems.append(f"{shell} completion: flag '{flag}' is missing")
        for flag in sorted(flags - all_flags):
            problems.append(f"{shell} completion: flag '{flag}' is not a flag of the binary")
        for word in sorted(words - offered[shell]):
            problems.append(f"{shell} completion: command '{word}' is not offered")
        for word in sorted(offered[shell] - words):
            problems.append(f"{shell} completion: '{word}' is offered but is not a command")

    print(f"{len(names)} commands and {len(all_flags)} flags checked against the man page and 3 completions")
    for p in problems:
        print("DRIFT:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
