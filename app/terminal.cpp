// SPDX-License-Identifier: MIT
#include "terminal.hpp"

#include <mfa/text.hpp>

#include <locale.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
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

// How long a terminal has to answer the background query.
constexpr std::chrono::milliseconds k_reply_timeout{100};

// One colour component of an OSC 11 answer: 1 to 4 hex digits, scaled to
// 0..1; negative when malformed.
double colour_component(std::string_view hex)
{
  if (hex.empty() || hex.size() > 4) {
    return -1;
  }
  constexpr std::string_view digits = "0123456789abcdef";
  unsigned value = 0;
  for (const char c : hex) {
    const char lower = c >= 'A' && c <= 'F' ? static_cast<char>(c - 'A' + 'a') : c;
    const std::size_t digit = digits.find(lower);
    if (digit == std::string_view::npos) {
      return -1;
    }
    value = value * 16 + static_cast<unsigned>(digit);
  }
  return static_cast<double>(value) / static_cast<double>((1U << (4 * hex.size())) - 1);
}

// Whether `reply` holds a terminal's answer to the DA1 query (ESC [ ? ... c).
bool has_device_attributes(std::string_view reply)
{
  for (std::size_t at = reply.find("\033[?"); at != std::string_view::npos; at = reply.find("\033[?", at + 1)) {
    std::size_t end = at + 3;
    while (end < reply.size() && ((reply[end] >= '0' && reply[end] <= '9') || reply[end] == ';')) {
      ++end;
    }
    if (end < reply.size() && reply[end] == 'c') {
      return true;
    }
  }
  return false;
}

// Whether the character devices behind two descriptors are the same.
bool same_terminal(int a, int b)
{
  struct stat sa{};
  struct stat sb{};
  return ::fstat(a, &sa) == 0 && ::fstat(b, &sb) == 0 && S_ISCHR(sa.st_mode) && S_ISCHR(sb.st_mode)
         && sa.st_rdev == sb.st_rdev;
}

// Sends `query` to the terminal on `out` and collects what it answers on
// `in` (the same terminal), in raw mode without echo, until the DA1 answer
// (which every terminal gives, after its answers to the queries before it)
// or the timeout. The terminal's settings are restored on every path; an
// interrupt key typed meanwhile is passed on as SIGINT once they are.
std::string ask_terminal(int in, int out, std::string_view query)
{
  termios saved{};
  if (::tcgetattr(in, &saved) != 0) {
    return {};
  }
  termios raw = saved;
  raw.c_lflag &= ~static_cast<tcflag_t>(ICANON | ECHO | ISIG);
  raw.c_cc[VMIN] = 0;
  raw.c_cc[VTIME] = 0;
  if (::tcsetattr(in, TCSANOW, &raw) != 0) {
    return {};
  }
  struct Restore
  {
    int fd;
    const termios& saved;
    ~Restore() { ::tcsetattr(fd, TCSANOW, &saved); }
  };
  std::string reply;
  {
    const Restore restore{in, saved};
    for (std::size_t sent = 0; sent < query.size();) {
      const ssize_t n = ::write(out, query.data() + sent, query.size() - sent);
      if (n < 0 && errno == EINTR) {
        continue;
      }
      if (n <= 0) {
        return {};
      }
      sent += static_cast<std::size_t>(n);
    }
    const auto deadline = std::chrono::steady_clock::now() + k_reply_timeout;
    while (reply.size() < 1024 && !has_device_attributes(reply)) {
      const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
      pollfd ready_in{in, POLLIN, 0};
      const int ready = left > 0 ? ::poll(&ready_in, 1, static_cast<int>(left)) : 0;
      if (ready < 0 && errno == EINTR) {
        continue;
      }
      if (ready <= 0) {
        break;
      }
      char buffer[256];
      const ssize_t n = ::read(in, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) {
        continue;
      }
      if (n <= 0) {
        break;
      }
      reply.append(buffer, static_cast<std::size_t>(n));
    }
  }
  if (saved.c_cc[VINTR] != _POSIX_VDISABLE && reply.find(static_cast<char>(saved.c_cc[VINTR])) != std::string::npos) {
    std::raise(SIGINT);
  }
  return reply;
}

} // namespace

Background background_from_colorfgbg(std::string_view value)
{
  const std::size_t semicolon = value.rfind(';');
  const std::string_view bg = semicolon == std::string_view::npos ? value : value.substr(semicolon + 1);
  const bool number = !bg.empty() && bg.size() <= 2
                      && std::all_of(bg.begin(), bg.end(), [](char c) { return c >= '0' && c <= '9'; });
  const int colour = number ? std::stoi(std::string(bg)) : -1;
  if (colour < 0 || colour > 15) {
    return Background::unknown;
  }
  return colour <= 6 || colour == 8 ? Background::dark : Background::light;
}

Background background_from_osc11(std::string_view reply)
{
  constexpr std::string_view start = "\033]11;rgb:";
  const std::size_t at = reply.find(start);
  if (at == std::string_view::npos) {
    return Background::unknown;
  }
  const std::string_view rest = reply.substr(at + start.size());
  const std::size_t end = rest.find_first_of("\a\033");
  if (end == std::string_view::npos || (rest[end] == '\033' && rest.substr(end, 2) != "\033\\")) {
    return Background::unknown;
  }
  const std::string_view rgb = rest.substr(0, end);
  const std::size_t slash1 = rgb.find('/');
  const std::size_t slash2 = slash1 == std::string_view::npos ? slash1 : rgb.find('/', slash1 + 1);
  if (slash2 == std::string_view::npos) {
    return Background::unknown;
  }
  const double r = colour_component(rgb.substr(0, slash1));
  const double g = colour_component(rgb.substr(slash1 + 1, slash2 - slash1 - 1));
  const double b = colour_component(rgb.substr(slash2 + 1));
  if (r < 0 || g < 0 || b < 0) {
    return Background::unknown;
  }
  // Relative luminance (ITU-R BT.709 weights) of the colour as sent.
  return 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.5 ? Background::dark : Background::light;
}

Background detect_background()
{
  if (const char* value = std::getenv("COLORFGBG")) {
    const Background named = background_from_colorfgbg(value);
    if (named != Background::unknown) {
      return named;
    }
  }
  // Only the controlling terminal, on both streams, and only in its
  // foreground (a background job changing its settings would be stopped).
  const pid_t session = ::getsid(0);
  if (::isatty(STDIN_FILENO) != 1 || ::isatty(STDOUT_FILENO) != 1 || ::tcgetsid(STDIN_FILENO) != session
      || ::tcgetsid(STDOUT_FILENO) != session || !same_terminal(STDIN_FILENO, STDOUT_FILENO)
      || ::tcgetpgrp(STDIN_FILENO) != ::getpgrp()) {
    return Background::unknown;
  }
  // OSC 11 asks for the background colour; DA1 (ESC [ c) follows so that a
  // terminal that ignores OSC 11 still answers at once.
  return background_from_osc11(ask_terminal(STDIN_FILENO, STDOUT_FILENO, "\033]11;?\a\033[c"));
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

namespace {

// "2026-12-01T10:00:00Z" (RFC 3339 UTC, as mfa prints every time), or empty.
bool looks_like_time(const std::string& cell)
{
  return cell.empty()
         || (cell.size() == 20 && cell[4] == '-' && cell[7] == '-' && cell[10] == 'T' && cell[13] == ':'
             && cell[16] == ':' && cell[19] == 'Z');
}

} // namespace

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
  // A column of times is never shortened: a cut time reads as another one.
  std::vector<bool> times(header.size(), !rows.empty());
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size() && i < times.size(); ++i) {
      times[i] = times[i] && looks_like_time(row[i]);
    }
  }
  std::vector<std::size_t> floors(header.size());
  for (std::size_t i = 0; i < header.size(); ++i) {
    const std::size_t head = display_width(header[i]);
    widths[i] = std::max(widths[i], head);
    floors[i] = times[i] ? widths[i] : std::min(widths[i], std::max(head, k_min_column));
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
