// SPDX-License-Identifier: MIT
#include "qr_text.hpp"

namespace mfa::app {

namespace {

constexpr const char* k_white_on_black = "\033[97;40m";
constexpr const char* k_reset = "\033[0m";

} // namespace

std::string render_qr_utf8(const QrMatrix& qr, QrColour colour, int quiet_zone)
{
  // With colour, and in the ink of a dark background, the light modules are
  // drawn; in the ink of a light background, the dark ones.
  const bool draw_light = colour != QrColour::no;
  const auto drawn = [&](int x, int y) { return qr.dark(x, y) != draw_light; };
  std::string out;
  const int first = -quiet_zone;
  const int last = qr.size() + quiet_zone; // one past the end
  for (int y = first; y < last; y += 2) {
    if (colour == QrColour::yes) {
      out += k_white_on_black;
    }
    for (int x = first; x < last; ++x) {
      const bool drawn_top = drawn(x, y);
      // Past the quiet zone's last row: light, so the zone is not cut short.
      const bool drawn_bottom = y + 1 < last ? drawn(x, y + 1) : draw_light;
      out += drawn_top && drawn_bottom ? "\u2588" : drawn_top ? "\u2580" : drawn_bottom ? "\u2584" : " ";
    }
    if (colour == QrColour::yes) {
      out += k_reset;
    }
    out += '\n';
  }
  return out;
}

std::string render_qr_ansi(const QrMatrix& qr, int quiet_zone)
{
  std::string out;
  for (int y = -quiet_zone; y < qr.size() + quiet_zone; ++y) {
    int current = -1;
    for (int x = -quiet_zone; x < qr.size() + quiet_zone; ++x) {
      const int want = qr.dark(x, y) ? 0 : 1;
      if (want != current) {
        out += want == 1 ? "\033[107m" : "\033[40m";
        current = want;
      }
      out += "  ";
    }
    out += k_reset;
    out += '\n';
  }
  return out;
}

} // namespace mfa::app
