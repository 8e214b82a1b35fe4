#!/usr/bin/env zsh
# SPDX-License-Identifier: MIT
# Types a command line into a real interactive zsh (on a pseudo-terminal,
# with compinit and mfa's _mfa loaded), presses TAB once, and prints what
# the terminal shows, followed by the line as completed ("LINE:...").
#   zsh_complete.zsh COMPLETIONS_DIR BIN_DIR 'mfa op'
zmodload zsh/zpty
zpty -b z zsh -f -i
zpty -w z "PS1='>'; fpath=($1 \$fpath); autoload -Uz compinit; compinit -u -D; PATH=$2:\$PATH; unsetopt beep"
zpty -w z "print READY"
zpty -r z _ '*READY*'
zpty -n -w z "$3"$'\t'
sleep 0.5
# Go to the start of the line and turn it into something that prints it.
zpty -n -w z $'\x01print -r -- LINE:\x05\n'
# Then read until a marker that only the command's output (not the echo of
# what was typed) holds: a slow completion is waited for, not guessed.
zpty -w z 'print -r -- END""OF""OUTPUT'
zpty -r z out '*ENDOFOUTPUT*'
zpty -d z
print -r -- "${out//$'\r'/}"
