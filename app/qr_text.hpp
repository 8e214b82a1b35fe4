// SPDX-License-Identifier: MIT
#pragma once

// The QR code as terminal text: the CLI's, not the library's (libmfa keeps
// the matrix and the SVG file format).

#include <mfa/qr.hpp>

#include <string>

namespace mfa::app {

enum class QrColour
{
  yes,     // explicit white-on-black colours, right on light and dark terminals
  no,      // the terminal's own colours on a light background: the dark
           // modules drawn in its (dark) ink
  no_dark, // the terminal's own colours on a dark background: the light
           // modules drawn in its (light) ink
};

// Two modules per character cell with the half blocks ▀ ▄ █, with a quiet
// zone of `quiet_zone` modules, so that a camera sees dark modules on light.
// With colour, light modules are drawn white on black and each line sets its
// colours itself, so the code reads the same on any terminal theme. Without,
// no escape sequence is written: the dark modules are drawn (`no`), or on a
// dark background the light ones (`no_dark`); which background the terminal
// has is for the caller to know.
// Throws nothing.
std::string render_qr_utf8(const QrMatrix& qr, QrColour colour, int quiet_zone = k_qr_quiet_zone);

// One module per two character cells, by ANSI background colour (bright
// white and black): plain ASCII, for terminals without the block glyphs.
// Throws nothing.
std::string render_qr_ansi(const QrMatrix& qr, int quiet_zone = k_qr_quiet_zone);

} // namespace mfa::app
