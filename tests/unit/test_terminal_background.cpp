// SPDX-License-Identifier: MIT
// What mfa learns of a terminal's background (app/terminal.cpp), to draw a
// QR code without colour the right way round.
#include "terminal.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <string_view>
#include <utility>
#include <vector>

using mfa::app::Background;

namespace {

using Cases = std::vector<std::pair<std::string_view, Background>>;

template <class Parse>
void check_all(const Cases& cases, Parse parse)
{
  for (const auto& [text, want] : cases) {
    CAPTURE(text);
    CHECK(parse(text) == want);
  }
}

} // namespace

TEST_CASE("terminal background: COLORFGBG names a dark or a light background by its last field")
{
  check_all({{"15;0", Background::dark},
             {"7;8", Background::dark},
             {"15;4", Background::dark},
             {"0;15", Background::light},
             {"0;7", Background::light},
             {"0;11", Background::light},
             // rxvt's three fields: fg;xpm;bg.
             {"15;default;0", Background::dark},
             {"0;default;15", Background::light}},
            mfa::app::background_from_colorfgbg);
}

TEST_CASE("terminal background: a COLORFGBG without a palette colour is unknown")
{
  check_all({{"", Background::unknown},
             {"default;default", Background::unknown},
             {"15;", Background::unknown},
             {"15;16", Background::unknown},
             {"15;-1", Background::unknown},
             {"15;0x", Background::unknown},
             {"15;999999999999", Background::unknown}},
            mfa::app::background_from_colorfgbg);
}

TEST_CASE("terminal background: an OSC 11 answer is dark below half luminance")
{
  check_all({// xterm and tmux, black and white, ended by BEL or ST.
             {"\033]11;rgb:0000/0000/0000\a", Background::dark},
             {"\033]11;rgb:ffff/ffff/ffff\033\\", Background::light},
             {"\033]11;rgb:c0c0/c0c0/c0c0\a\033[?1;2c", Background::light},
             {"\033]11;rgb:2020/2020/2020\a", Background::dark},
             // Solarized, with two hex digits a component; one and three digits.
             {"\033]11;rgb:00/2b/36\a", Background::dark},
             {"\033]11;rgb:FD/F6/E3\a", Background::light},
             {"\033]11;rgb:f/f/f\a", Background::light},
             {"\033]11;rgb:123/123/123\a", Background::dark},
             // Green weighs most: pure green is light, pure blue dark.
             {"\033]11;rgb:0000/ffff/0000\a", Background::light},
             {"\033]11;rgb:0000/0000/ffff\a", Background::dark},
             // Keys typed before the answer, and the DA1 answer after it.
             {"ab\033]11;rgb:1e1e/1e1e/2e2e\033\\\033[?62;22c", Background::dark}},
            mfa::app::background_from_osc11);
}

TEST_CASE("terminal background: no answer or a malformed one is unknown")
{
  check_all({{"", Background::unknown},
             {"\033[?1;2c", Background::unknown}, // DA1 only: OSC 11 ignored
             {"\033]11;rgb:0000/0000/0000", Background::unknown}, // cut short
             {"\033]11;rgb:0000/0000\a", Background::unknown},
             {"\033]11;rgb:zz/00/00\a", Background::unknown},
             {"\033]11;rgb:00000/0/0\a", Background::unknown},
             {"\033]11;rgb:/0/0\a", Background::unknown},
             {"\033]11;rgb:0/0/0\033[c", Background::unknown}, // ESC that is not ST
             {"\033]10;rgb:0/0/0\a", Background::unknown}},    // the foreground
            mfa::app::background_from_osc11);
}

TEST_CASE("terminal background: COLORFGBG decides before any query")
{
  const char* saved = std::getenv("COLORFGBG");
  const std::string previous = saved != nullptr ? saved : "";
  ::setenv("COLORFGBG", "15;0", 1);
  CHECK(mfa::app::detect_background() == Background::dark);
  ::setenv("COLORFGBG", "0;15", 1);
  CHECK(mfa::app::detect_background() == Background::light);
  if (saved != nullptr) {
    ::setenv("COLORFGBG", previous.c_str(), 1);
  } else {
    ::unsetenv("COLORFGBG");
  }
}
