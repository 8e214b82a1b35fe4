// SPDX-License-Identifier: MIT
#pragma once

#include <cstdio>
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

// Columns a string takes on a terminal (wide and combining characters count
// right; bytes that are not UTF-8 count one each).
std::size_t display_width(std::string_view text);

// A message line as printed: data in it escaped (mfa::escape_text), and the
// middle of a very long one (a 1 MB argument quoted back) left out.
std::string display_message(std::string_view text);

// Prints rows under a header, columns aligned by display width; the header is
// bold when `colour` is set. Every cell is printed escaped (mfa::escape_text).
void print_table(std::FILE* out, const std::vector<std::string>& header,
                 const std::vector<std::vector<std::string>>& rows, bool colour);

// Wraps text in an SGR colour sequence when `colour` is set.
std::string paint(std::string_view text, std::string_view sgr, bool colour);

} // namespace mfa::app
