#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Turns a QR code drawn for a terminal back into a picture, as a phone
camera would see the screen: reads mfa's UTF-8 (half blocks) or ANSI
(background colour) rendering on stdin and writes a PBM image on stdout.
Light modules are white, dark ones black, each module SCALE pixels.

usage: terminal_qr_to_pbm.py utf8|utf8-ink|ansi [SCALE]
(utf8: the glyphs are the light modules, as mfa draws them in colour;
 utf8-ink: the glyphs are the dark modules, as drawn without colour)
"""
import re
import sys

SGR = re.compile(r"\x1b\[([0-9;]*)m")


def utf8_rows(text, glyphs_are_light=True):
    rows = []
    for line in text.splitlines():
        line = SGR.sub("", line)
        top, bottom = [], []
        for ch in line:
            top.append((ch in "\u2588\u2580") == glyphs_are_light)     # light on top
            bottom.append((ch in "\u2588\u2584") == glyphs_are_light)  # light below
        rows += [top, bottom]
    return rows


def ansi_rows(text):
    rows = []
    for line in text.splitlines():
        light, cells = None, []
        pos = 0
        for m in SGR.finditer(line):
            cells += [light] * (m.start() - pos)
            codes = m.group(1).split(";")
            if "107" in codes:
                light = True
            elif "40" in codes:
                light = False
            pos = m.end()
        cells += [light] * (len(line) - pos)
        if len(cells) % 2:
            sys.exit("odd number of cells in an ANSI row")
        row = []
        for i in range(0, len(cells), 2):
            if cells[i] is None or cells[i] != cells[i + 1]:
                sys.exit("a module is not two cells of one colour")
            row.append(cells[i])
        rows.append(row)
    return rows


def main():
    form = sys.argv[1]
    scale = int(sys.argv[2]) if len(sys.argv) > 2 else 8
    text = sys.stdin.read()
    if form == "utf8":
        rows = utf8_rows(text)
    elif form == "utf8-ink":
        rows = utf8_rows(text, glyphs_are_light=False)
    else:
        rows = ansi_rows(text)
    width = max(len(r) for r in rows)
    out = [f"P1\n{width * scale} {len(rows) * scale}\n"]
    for row in rows:
        bits = "".join(("0" if light else "1") * scale for light in row + [True] * (width - len(row)))
        line = " ".join(bits) + "\n"
        out.append(line * scale)
    sys.stdout.write("".join(out))


if __name__ == "__main__":
    main()
