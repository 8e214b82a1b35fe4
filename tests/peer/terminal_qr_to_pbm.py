#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Turns a QR code drawn for a terminal back into a picture, as a phone
camera would see the screen: reads mfa's UTF-8 (half blocks) or ANSI
(background colour) rendering on stdin and writes a PBM image on stdout.
Light modules are white, dark ones black, each module SCALE pixels.

usage: terminal_qr_to_pbm.py utf8|utf8-ink|ansi [SCALE]
       terminal_qr_to_pbm.py screen FG BG [SCALE]
(utf8: the glyphs are the light modules, as mfa draws them in colour;
 utf8-ink: the glyphs are the dark modules, as drawn without colour;
 screen: a whole terminal screen as `tmux capture-pane -e` gives it, with
 its SGR colours, on a terminal whose default ink is FG and background BG,
 each "light" or "dark": every cell is painted as the terminal would, the
 half blocks in the cell's ink, any other character as a cell of ink)
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


def palette_light(n):
    """Whether colour n of the 16-colour palette is light (7 and 9-15)."""
    return n == 7 or 9 <= n <= 15


def screen_rows(text, fg_light, bg_light):
    rows = []
    for line in text.splitlines():
        fg, bg, reverse = fg_light, bg_light, False
        top, bottom = [], []
        pos = 0
        while pos < len(line):
            m = SGR.match(line, pos)
            if m:
                codes = [int(c) if c else 0 for c in m.group(1).split(";")]
                i = 0
                while i < len(codes):
                    c = codes[i]
                    if c == 0:
                        fg, bg, reverse = fg_light, bg_light, False
                    elif c == 7:
                        reverse = True
                    elif c == 27:
                        reverse = False
                    elif c == 39:
                        fg = fg_light
                    elif c == 49:
                        bg = bg_light
                    elif 30 <= c <= 37 or 90 <= c <= 97:
                        fg = palette_light(c - 30 if c < 90 else c - 90 + 8)
                    elif 40 <= c <= 47 or 100 <= c <= 107:
                        bg = palette_light(c - 40 if c < 100 else c - 100 + 8)
                    elif c in (38, 48) and i + 2 < len(codes) and codes[i + 1] == 5:
                        light = palette_light(codes[i + 2]) if codes[i + 2] < 16 else None
                        if light is None:
                            sys.exit(f"colour {codes[i + 2]} of 256 not handled")
                        fg, bg = (light, bg) if c == 38 else (fg, light)
                        i += 2
                    elif c in (1, 2, 22, 4, 24):
                        pass  # bold, faint, underline: the blocks stay the same
                    else:
                        sys.exit(f"SGR {c} not handled")
                    i += 1
                pos = m.end()
                continue
            if line[pos] == "\x1b":
                sys.exit(f"escape sequence not handled at {line[pos:pos + 10]!r}")
            ink, paper = (bg, fg) if reverse else (fg, bg)
            ch = line[pos]
            if ch in " \u2580\u2584\u2588":
                top.append(ink if ch in "\u2588\u2580" else paper)
                bottom.append(ink if ch in "\u2588\u2584" else paper)
            else:
                top.append(ink)
                bottom.append(ink)
            pos += 1
        rows += [top, bottom]
    return rows


def main():
    form = sys.argv[1]
    # Right of what was printed: light, or on a screen its background.
    fill = True
    if form == "screen":
        fg_light, bg_light = (arg == "light" for arg in sys.argv[2:4])
        scale = int(sys.argv[4]) if len(sys.argv) > 4 else 8
        rows = screen_rows(sys.stdin.read(), fg_light, bg_light)
        fill = bg_light
    else:
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
        bits = "".join(("0" if light else "1") * scale for light in row + [fill] * (width - len(row)))
        line = " ".join(bits) + "\n"
        out.append(line * scale)
    sys.stdout.write("".join(out))


if __name__ == "__main__":
    main()
