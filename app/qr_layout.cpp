// SPDX-License-Identifier: MIT
#include "qr_layout.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <sstream>

namespace mfa::app {

namespace {

std::vector<std::string> split_lines(const std::string& text)
{
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    out.push_back(line);
  }
  return out;
}

// Lines of `width` characters at most (the lines are ASCII: a URI, a secret).
std::vector<std::string> wrap(const std::vector<std::string>& lines, std::size_t width)
{
  std::vector<std::string> out;
  for (const auto& line : lines) {
    for (std::size_t at = 0; at < line.size() || at == 0; at += width) {
      out.push_back(line.substr(at, width));
      if (line.empty()) {
        break;
      }
    }
  }
  return out;
}

struct Code
{
  std::vector<std::string> rows;
  int columns = 0;
};

Code render(const QrMatrix& qr, QrForm form, QrColour colour, int quiet_zone)
{
  const int modules = qr.size() + 2 * quiet_zone;
  if (form == QrForm::ansi) {
    return {split_lines(render_qr_ansi(qr, quiet_zone)), 2 * modules};
  }
  return {split_lines(render_qr_utf8(qr, colour, quiet_zone)), modules};
}

std::string stacked(const std::vector<std::string>& lines, const Code& code)
{
  std::string out;
  for (const auto& line : lines) {
    out += line + "\n";
  }
  for (const auto& row : code.rows) {
    out += row + "\n";
  }
  return out;
}

constexpr std::size_t k_gap = 2;

std::string beside(const std::vector<std::string>& text, const Code& code)
{
  std::size_t width = 0;
  for (const auto& line : text) {
    width = std::max(width, line.size());
  }
  std::string out;
  for (std::size_t i = 0; i < std::max(text.size(), code.rows.size()); ++i) {
    const std::string left = i < text.size() ? text[i] : std::string();
    out += left;
    if (i < code.rows.size()) {
      out += std::string(width - left.size() + k_gap, ' ') + code.rows[i];
    }
    out += "\n";
  }
  return out;
}

} // namespace

std::optional<ScreenSize> screen_size(int fd)
{
  winsize size{};
  if (::isatty(fd) == 0 || ::ioctl(fd, TIOCGWINSZ, &size) != 0 || size.ws_col == 0 || size.ws_row == 0) {
    return std::nullopt;
  }
  return ScreenSize{size.ws_col, size.ws_row};
}

QrScreen lay_out_qr(const std::vector<std::string>& lines, const std::string& uri, QrForm form, QrColour colour,
                    std::optional<ScreenSize> screen)
{
  const QrMatrix qr = make_qr(uri);
  if (!screen) {
    return {stacked(lines, render(qr, form, colour, k_qr_quiet_zone)), true};
  }
  // One row stays free for the shell's prompt and one for the message after.
  const auto rows = static_cast<std::size_t>(std::max(screen->rows - 2, 1));
  const auto columns = static_cast<std::size_t>(screen->columns);
  for (int quiet_zone = k_qr_quiet_zone; quiet_zone >= 1; --quiet_zone) {
    const Code code = render(qr, form, colour, quiet_zone);
    const auto code_columns = static_cast<std::size_t>(code.columns);
    if (code_columns > columns) {
      continue;
    }
    const auto above = wrap(lines, columns);
    if (above.size() + code.rows.size() <= rows) {
      return {stacked(above, code), true};
    }
    if (code_columns + k_gap < columns) {
      const auto side = wrap(lines, columns - code_columns - k_gap);
      if (side.size() <= rows && code.rows.size() <= rows) {
        return {beside(side, code), true};
      }
    }
  }
  return {stacked(lines, render(qr, form, colour, k_qr_quiet_zone)), false};
}

} // namespace mfa::app
