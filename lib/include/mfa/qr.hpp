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
  // Throws nothing.
  bool dark(int x, int y) const;

private:
  int m_size;
  std::vector<bool> m_dark;
};

// Quiet zone drawn around every rendering, in modules.
inline constexpr int k_qr_quiet_zone = 4;

// Encodes text (an otpauth URI) at error correction level L, or higher where
// the same size allows it: the smallest code, for a screen, where nothing
// soils or tears it. Throws mfa::Error if the text is too long.
MFA_API QrMatrix make_qr(std::string_view text);

// A standalone SVG document: black modules on a white background.
// Throws nothing.
MFA_API std::string render_qr_svg(const QrMatrix& qr);

// Writes a file with mode 0600 (it may hold a secret), replacing any
// existing file atomically. Throws mfa::Error naming the file on failure.
MFA_API void write_private_file(const std::string& path, std::string_view content);

} // namespace mfa
