// SPDX-License-Identifier: MIT
#pragma once

#include "qr_text.hpp"

#include <mfa/qr.hpp>

#include <optional>
#include <string>
#include <vector>

namespace mfa::app {

struct ScreenSize
{
  int columns = 80;
  int rows = 24;
};

// The size of the terminal on `fd`, if it is one.
std::optional<ScreenSize> screen_size(int fd);

enum class QrForm
{
  utf8, // half blocks, two modules a cell
  ansi, // background colour, two cells a module
};

struct QrScreen
{
  std::string text; // what to print on stdout
  bool fits = true; // false: the screen is too small for the code and its lines
};

// Sets out the lines (URI, secret) and the QR code of `uri` for a screen:
// the text above the code when both fit, else the text beside it, to the
// left, with the widest quiet zone (4 modules down to 1) that fits. With no
// screen (not a terminal) the text comes above a code with the standard
// 4-module quiet zone. `lines` must not hold control characters.
QrScreen lay_out_qr(const std::vector<std::string>& lines, const std::string& uri, QrForm form, QrColour colour,
                    std::optional<ScreenSize> screen);

} // namespace mfa::app
