// SPDX-License-Identifier: MIT
#pragma once

#include <mfa/export.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace mfa {

// The modules of a QR code, without quiet zone.
class MFA_API QrMatrix
{
public:
  QrMatrix(int size, std::vector<bool> dark) : m_size(size), m_dark(std::move(dark)) {}
  int size() const { return m_size; }
  // Outside the matrix (the quiet zone) is light.
  bool dark(int x, int y) const;

private:
  int m_size;
  std::vector<bool> m_dark;
};

// Quiet zone drawn around every rendering, in modules.
inline constexpr int k_qr_quiet_zone = 4;

// Encodes text (an otpauth URI) at error correction level M or higher if it
// fits in the same size: 15% of the code may be unreadable, enough for a
// phone camera pointed at a screen. Throws mfa::Error if the text is too long.
MFA_API QrMatrix make_qr(std::string_view text);

enum class QrColour
{
  yes, // explicit white-on-black colours, right on light and dark terminals
  no,  // the terminal's own colours: light modules drawn in its foreground
};

// Two modules per character cell with the half blocks ▀ ▄ █; light modules
// are drawn, dark ones left blank. With colour, each line sets white on
// black itself, so the code reads the same on any terminal theme.
MFA_API std::string render_qr_utf8(const QrMatrix& qr, QrColour colour);

// One module per two character cells, by ANSI background colour (bright
// white and black): plain ASCII, for terminals without the block glyphs.
MFA_API std::string render_qr_ansi(const QrMatrix& qr);

// A standalone SVG document: black modules on a white background.
MFA_API std::string render_qr_svg(const QrMatrix& qr);

// Writes a file with mode 0600 (it may hold a secret), replacing any
// existing file atomically. Throws mfa::Error naming the file on failure.
MFA_API void write_private_file(const std::string& path, std::string_view content);

} // namespace mfa
