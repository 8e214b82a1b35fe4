// SPDX-License-Identifier: MIT
#include "terminal.hpp"

#include <mfa/text.hpp>

#include <locale.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cwchar>

namespace mfa::app {

Terminal Terminal::detect()
{
  const char* no_colour = std::getenv("NO_COLOR");
  const bool colour_allowed = no_colour == nullptr || *no_colour == '\0';
  Terminal t;
  t.stdin_tty = ::isatty(STDIN_FILENO) == 1;
  t.stdout_tty = ::isatty(STDOUT_FILENO) == 1;
  t.stdout_colour = colour_allowed && t.stdout_tty;
  t.stderr_colour = colour_allowed && ::isatty(STDERR_FILENO) == 1;
  return t;
}

std::size_t display_width(std::string_view text)
{
  // wcwidth() with a UTF-8 locale for this thread only, whatever the
  // process locale is.
  static const locale_t utf8 = ::newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(nullptr));
  const locale_t previous = utf8 != nullptr ? ::uselocale(utf8) : nullptr;
  std::size_t width = 0;
  std::mbstate_t state{};
  const char* p = text.data();
  std::size_t left = text.size();
  while (left > 0) {
    wchar_t wc = 0;
    const std::size_t n = std::mbrtowc(&wc, p, left, &state);
    if (n == static_cast<std::size_t>(-1) || n == static_cast<std::size_t>(-2) || n == 0) {
      state = {};
      ++width;
      ++p;
      --left;
      continue;
    }
    const int w = ::wcwidth(wc);
    width += w < 0 ? 1 : static_cast<std::size_t>(w);
    p += n;
    left -= n;
  }
  if (previous != nullptr) {
    ::uselocale(previous);
  }
  return width;
}

std::string paint(std::string_view text, std::string_view sgr, bool colour)
{
  if (!colour) {
    return std::string(text);
  }
  return "\033[" + std::string(sgr) + "m" + std::string(text) + "\033[0m";
}

namespace {

constexpr std::size_t k_message_head = 600;
constexpr std::size_t k_message_tail = 200;

// Backs `pos` up to the start of a UTF-8 sequence.
std::size_t code_point_start(std::string_view text, std::size_t pos)
{
  while (pos > 0 && pos < text.size() && (static_cast<unsigned char>(text[pos]) & 0xC0) == 0x80) {
    --pos;
  }
  return pos;
}

std::vector<std::string> escaped(const std::vector<std::string>& row)
{
  std::vector<std::string> cells;
  cells.reserve(row.size());
  for (const auto& cell : row) {
    cells.push_back(escape_text(cell));
  }
  return cells;
}

} // namespace

std::string display_message(std::string_view text)
{
  std::string line = escape_text(text);
  if (line.size() <= k_message_head + k_message_tail + 100) {
    return line;
  }
  const std::size_t head = code_point_start(line, k_message_head);
  const std::size_t tail = code_point_start(line, line.size() - k_message_tail);
  return line.substr(0, head) + "…(" + std::to_string(tail - head) + " bytes left out)…" + line.substr(tail);
}

void print_table(std::FILE* out, const std::vector<std::string>& raw_header,
                 const std::vector<std::vector<std::string>>& raw_rows, bool colour)
{
  const auto header = escaped(raw_header);
  std::vector<std::vector<std::string>> rows;
  rows.reserve(raw_rows.size());
  for (const auto& row : raw_rows) {
    rows.push_back(escaped(row));
  }
  std::vector<std::size_t> widths(header.size(), 0);
  auto measure = [&](const std::vector<std::string>& row) {
    for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], display_width(row[i]));
    }
  };
  measure(header);
  std::for_each(rows.begin(), rows.end(), measure);

  auto print_row = [&](const std::vector<std::string>& row, bool is_header) {
    std::string line;
    for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      const bool last = i + 1 == row.size();
      std::string cell = row[i];
      if (!last) {
        cell.append(widths[i] - display_width(row[i]) + 2, ' ');
      }
      line += is_header ? paint(cell, "1", colour) : cell;
    }
    std::fprintf(out, "%s\n", line.c_str());
  };
  print_row(header, true);
  for (const auto& row : rows) {
    print_row(row, false);
  }
}

} // namespace mfa::app
