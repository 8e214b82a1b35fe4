// SPDX-License-Identifier: MIT
#include "qr_text.hpp"

#include <mfa/qr.hpp>

#include <doctest/doctest.h>

#include <sstream>

using namespace mfa;
using namespace mfa::app;

namespace {

std::vector<std::string> lines(const std::string& text)
{
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    out.push_back(line);
  }
  return out;
}

// The cells of a rendering line, one string each (the glyphs are 1 or 3 bytes).
std::vector<std::string> cells(const std::string& line)
{
  std::vector<std::string> out;
  for (std::size_t at = 0; at < line.size();) {
    const std::size_t n = static_cast<unsigned char>(line[at]) < 0x80 ? 1 : 3;
    out.push_back(line.substr(at, n));
    at += n;
  }
  return out;
}

// Whether a cell draws ink in its top and its bottom half.
std::pair<bool, bool> halves(const std::string& cell)
{
  return {cell == "\u2588" || cell == "\u2580", cell == "\u2588" || cell == "\u2584"};
}

} // namespace

TEST_CASE("qr: a URI-length text makes a code of at least version 2 with level M or better")
{
  const auto qr = make_qr("otpauth://totp/MFA:alice?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=MFA"
                          "&algorithm=SHA1&digits=6&period=30");
  CHECK(qr.size() >= 25);
  CHECK(qr.size() % 4 == 1);
  // Finder pattern corners are dark; the quiet zone is light.
  CHECK(qr.dark(0, 0));
  CHECK(qr.dark(qr.size() - 1, 0));
  CHECK_FALSE(qr.dark(-1, 0));
  CHECK_FALSE(qr.dark(0, qr.size()));
  CHECK_THROWS(make_qr(std::string(5000, 'x')));
}

TEST_CASE("qr: UTF-8 rendering has two modules a cell and a 4-module quiet zone")
{
  const auto qr = make_qr("hello");
  const auto plain = lines(render_qr_utf8(qr, QrColour::no));
  const std::size_t side = static_cast<std::size_t>(qr.size() + 2 * k_qr_quiet_zone);
  CHECK(plain.size() == (side + 1) / 2);
  const std::string full_row = [&] {
    std::string s;
    for (std::size_t i = 0; i < side; ++i) {
      s += "\u2588";
    }
    return s;
  }();
  // Without colour the dark modules are drawn, in the terminal's ink.
  CHECK(plain[0] == std::string(side, ' ')); // rows -4 and -3: all light
  CHECK(plain[1] == std::string(side, ' ')); // rows -2 and -1
  CHECK(plain[2].find("    \u2588") == 0);   // quiet zone, then rows 0 and 1 of the dark finder
  // With colour the light ones, white on black.
  const auto coloured = lines(render_qr_utf8(qr, QrColour::yes));
  CHECK(coloured[0] == "\033[97;40m" + full_row + "\033[0m");
  CHECK(coloured[2].find("\u2588\u2588\u2588\u2588 ") != std::string::npos);
  // A narrower quiet zone, for a small terminal.
  const auto narrow = lines(render_qr_utf8(qr, QrColour::no, 1));
  CHECK(narrow.size() == static_cast<std::size_t>(qr.size() + 2 + 1) / 2);
  CHECK(narrow[0].find(" \u2584") == 0); // row -1 light, row 0 the finder's dark top edge
}

TEST_CASE("qr: ANSI rendering paints two cells a module by background colour")
{
  const auto qr = make_qr("hello");
  const auto rows = lines(render_qr_ansi(qr));
  CHECK(rows.size() == static_cast<std::size_t>(qr.size() + 2 * k_qr_quiet_zone));
  CHECK(rows[0] == "\033[107m" + std::string(static_cast<std::size_t>(2 * (qr.size() + 8)), ' ') + "\033[0m");
  CHECK(rows[4].find("\033[107m        \033[40m") == 0); // quiet zone, then the finder's dark edge
}

TEST_CASE("qr: SVG has a white background and a quiet zone in its view box")
{
  const auto qr = make_qr("hello");
  const auto svg = render_qr_svg(qr);
  const std::string side = std::to_string(qr.size() + 8);
  CHECK(svg.find("viewBox=\"0 0 " + side + " " + side + "\"") != std::string::npos);
  CHECK(svg.find("fill=\"#ffffff\"") != std::string::npos);
  CHECK(svg.find("M4,4h1v1h-1z") != std::string::npos); // first module sits inside the quiet zone
  CHECK(svg.find("M3,") == std::string::npos);
}

// Without colour on a dark background (QrColour::no_dark) the light modules
// are drawn, in the terminal's light ink: a camera still sees dark on light.
TEST_CASE("qr: on a dark background without colour the light modules are drawn and no escape is written")
{
  const auto qr = make_qr("otpauth://totp/Example%20Corporation1:abcdefghij.klmnopqrs?secret=FBFBBUZ6QAEMGYFV"
                          "RBYEASWNBVVHBHUX&issuer=Example%20Corporation1");
  for (const int quiet_zone : {4, 1}) {
    const auto text = render_qr_utf8(qr, QrColour::no_dark, quiet_zone);
    CHECK(text.find('\033') == std::string::npos);
    const auto rows = lines(text);
    const int side = qr.size() + 2 * quiet_zone;
    REQUIRE(rows.size() == static_cast<std::size_t>(side + 1) / 2);
    for (std::size_t r = 0; r < rows.size(); ++r) {
      const auto row = cells(rows[r]);
      REQUIRE(row.size() == static_cast<std::size_t>(side));
      const int y = 2 * static_cast<int>(r) - quiet_zone;
      for (std::size_t c = 0; c < row.size(); ++c) {
        const int x = static_cast<int>(c) - quiet_zone;
        const auto [top, bottom] = halves(row[c]);
        CHECK(top == !qr.dark(x, y));
        // Below the last module row (an odd side): the quiet zone, light.
        CHECK(bottom == (y + 1 < qr.size() + quiet_zone ? !qr.dark(x, y + 1) : true));
      }
    }
  }
}

TEST_CASE("qr: the dark-background drawing is the colour one without its colours and the light one inverted")
{
  const auto qr = make_qr("hello");
  const auto dark = lines(render_qr_utf8(qr, QrColour::no_dark));
  const auto coloured = lines(render_qr_utf8(qr, QrColour::yes));
  const auto light = lines(render_qr_utf8(qr, QrColour::no));
  REQUIRE(dark.size() == coloured.size());
  for (std::size_t r = 0; r < dark.size(); ++r) {
    CHECK(coloured[r] == "\033[97;40m" + dark[r] + "\033[0m");
    const auto d = cells(dark[r]);
    const auto l = cells(light[r]);
    REQUIRE(d.size() == l.size());
    for (std::size_t c = 0; c < d.size(); ++c) {
      const auto [dt, db] = halves(d[c]);
      const auto [lt, lb] = halves(l[c]);
      CHECK(dt != lt);
      CHECK(db != lb);
    }
  }
}
