// SPDX-License-Identifier: MIT
#pragma once

#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mfa::app {

// What the streams are connected to, and whether colour is wanted on them:
// only on a terminal, and never when NO_COLOR is set.
struct Terminal
{
  bool stdin_tty = false;
  bool stdout_tty = false;
  bool stdout_colour = false;
  bool stderr_colour = false;

  static Terminal detect();
};

// The background colour of a terminal, as far as it can be learnt.
enum class Background
{
  unknown,
  light,
  dark,
};

// The background named by a COLORFGBG value ("fg;bg", or "fg;xpm;bg" as
// rxvt sets it): colours 0-6 and 8 are dark, 7 and 9-15 light; anything
// else (empty, "default") is unknown.
Background background_from_colorfgbg(std::string_view value);

// The background named by a terminal's answer to the OSC 11 query, somewhere
// in `reply`: ESC ] 11 ; rgb:R/G/B ended by BEL or ESC \ (1 to 4 hex digits
// a component). Dark when its luminance is below half; unknown without a
// well-formed answer.
Background background_from_osc11(std::string_view reply);

// The background of the terminal mfa runs in: COLORFGBG when it names one;
// else, when stdin and stdout are both the controlling terminal and mfa is
// in its foreground, the terminal's answer to an OSC 11 query (raw mode, no
// echo, at most 100 ms; the terminal's settings are always restored); else
// unknown. Only for a QR code drawn without colour on that terminal.
Background detect_background();

// Columns a string takes on a terminal (wide and combining characters count
// right; bytes that are not UTF-8 count one each).
std::size_t display_width(std::string_view text);

// `text` cut at a code point so that it takes at most `width` columns, with
// "…" at the end when anything was cut.
std::string shorten_to_width(std::string_view text, std::size_t width);

enum class TableWidth
{
  fit,  // shortened to the terminal's width when printed to one
  full, // never shortened (--wide)
};

// How print_table() treats wide tables from now on; `fit` until set.
void set_table_width(TableWidth width);

// How many columns a table printed to `out` may take: the terminal's width
// (TIOCGWINSZ, else $COLUMNS, else 80) when `out` is a terminal and tables
// fit; nothing when they are full or `out` is not a terminal.
std::optional<std::size_t> table_width_limit(std::FILE* out);

// A message line as printed: data in it escaped (mfa::escape_text), and the
// middle of a very long one (a 1 MB argument quoted back) left out.
std::string display_message(std::string_view text);

// Prints rows under a header, columns aligned by display width; the header is
// bold when `colour` is set. Every cell is printed escaped (mfa::escape_text).
// On a terminal the table fits its width (table_width_limit()): the widest
// columns of free text, then any, are shortened with "…".
void print_table(std::FILE* out, const std::vector<std::string>& header,
                 const std::vector<std::vector<std::string>>& rows, bool colour);

// Wraps text in an SGR colour sequence when `colour` is set.
std::string paint(std::string_view text, std::string_view sgr, bool colour);

} // namespace mfa::app
