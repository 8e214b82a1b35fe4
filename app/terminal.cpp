// SPDX-License-Identifier: MIT
#include "terminal.hpp"

#include <mfa/text.hpp>

#include <locale.h>
#include <sys/ioctl.h>
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

namespace {

// Columns of a terminal that does not say.
constexpr std::size_t k_default_columns = 80;

TableWidth g_table_width = TableWidth::fit;

// Calls `each(bytes, columns)` for every code point of `text` in turn until
// it returns false. wcwidth() runs with a UTF-8 locale for this thread only,
// whatever the process locale is; a byte that is not UTF-8 is one column.
template <class Each>
void for_each_code_point(std::string_view text, Each each)
{
  static const locale_t utf8 = ::newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(nullptr));
  const locale_t previous = utf8 != nullptr ? ::uselocale(utf8) : nullptr;
  std::mbstate_t state{};
  std::size_t pos = 0;
  while (pos < text.size()) {
    wchar_t wc = 0;
    std::size_t n = std::mbrtowc(&wc, text.data() + pos, text.size() - pos, &state);
    std::size_t columns = 1;
    if (n == static_cast<std::size_t>(-1) || n == static_cast<std::size_t>(-2) || n == 0) {
      state = {};
      n = 1;
    } else {
      const int w = ::wcwidth(wc);
      columns = w < 0 ? 1 : static_cast<std::size_t>(w);
    }
    if (!each(text.substr(pos, n), columns)) {
      break;
    }
    pos += n;
  }
  if (previous != nullptr) {
    ::uselocale(previous);
  }
}

} // namespace

std::size_t display_width(std::string_view text)
{
  std::size_t width = 0;
  for_each_code_point(text, [&](std::string_view, std::size_t columns) {
    width += columns;
    return true;
  });
  return width;
}

std::string shorten_to_width(std::string_view text, std::size_t width)
{
  if (display_width(text) <= width) {
    return std::string(text);
  }
  if (width == 0) {
    return {};
  }
  std::string kept;
  std::size_t used = 0;
  for_each_code_point(text, [&](std::string_view bytes, std::size_t columns) {
    if (used + columns > width - 1) {
      return false;
    }
    kept.append(bytes);
    used += columns;
    return true;
  });
  return kept + "…";
}

void set_table_width(TableWidth width)
{
  g_table_width = width;
}

std::optional<std::size_t> table_width_limit(std::FILE* out)
{
  const int fd = ::fileno(out);
  if (g_table_width == TableWidth::full || fd < 0 || ::isatty(fd) != 1) {
    return std::nullopt;
  }
  winsize size{};
  if (::ioctl(fd, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) {
    return size.ws_col;
  }
  if (const char* columns = std::getenv("COLUMNS")) {
    char* end = nullptr;
    const long n = std::strtol(columns, &end, 10);
    if (end != columns && *end == '\0' && n > 0) {
      return static_cast<std::size_t>(n);
    }
  }
  return k_default_columns;
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
// A shortened table column keeps at least this many columns (or its header).
constexpr std::size_t k_min_column = 6;

// Backs `pos` up to the start of a UTF-8 sequence.
std::size_t code_point_start(std::string_view text, std::size_t pos)
{
  while (pos > 0 && pos < text.size() && (static_cast<unsigned char>(text[pos]) & 0xC0) == 0x80) {
    --pos;
  }
  return pos;
}

// Narrows `widths` (with two spaces between columns) to at most `limit`:
// the widest column of free text first, as far as it takes (down to its
// header or k_min_column), then the next; then any column. A table that
// cannot fit stays wider.
void fit_columns(std::vector<std::size_t>& widths, const std::vector<std::size_t>& floors,
                 const std::vector<bool>& free_text, std::size_t limit)
{
  std::size_t total = widths.empty() ? 0 : 2 * (widths.size() - 1);
  for (const auto w : widths) {
    total += w;
  }
  std::vector<std::size_t> order(widths.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    order[i] = i;
  }
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return widths[a] > widths[b]; });
  for (const bool only_free_text : {true, false}) {
    for (const std::size_t i : order) {
      if (total <= limit) {
        return;
      }
      if (only_free_text && !free_text[i]) {
        continue;
      }
      const std::size_t cut = std::min(total - limit, widths[i] - floors[i]);
      widths[i] -= cut;
      total -= cut;
    }
  }
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
  std::vector<bool> free_text(header.size(), false);
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], display_width(row[i]));
      free_text[i] = free_text[i] || row[i].find(' ') != std::string::npos;
    }
  }
  std::vector<std::size_t> floors(header.size());
  for (std::size_t i = 0; i < header.size(); ++i) {
    const std::size_t head = display_width(header[i]);
    widths[i] = std::max(widths[i], head);
    floors[i] = std::min(widths[i], std::max(head, k_min_column));
  }
  if (const auto limit = table_width_limit(out)) {
    fit_columns(widths, floors, free_text, *limit);
  }

  auto print_row = [&](const std::vector<std::string>& row, bool is_header) {
    std::string line;
    for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      std::string cell = shorten_to_width(row[i], widths[i]);
      if (i + 1 < row.size()) {
        cell.append(widths[i] - display_width(cell) + 2, ' ');
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
