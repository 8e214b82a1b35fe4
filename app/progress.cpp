// SPDX-License-Identifier: MIT
#include "progress.hpp"

#include "context.hpp"

#include <cstdio>

#include <unistd.h>

namespace mfa::app {

namespace {

constexpr auto k_interval = std::chrono::milliseconds(100);

std::string percent(std::size_t part, std::size_t whole)
{
  const std::size_t share = whole == 0 ? 100 : part >= whole ? 100 : part * 100 / whole;
  return " (" + std::to_string(share) + "%)";
}

} // namespace

Progress::Progress(const Context& ctx, std::string label)
  : m_enabled(!ctx.json() && ::isatty(STDERR_FILENO) == 1), m_label(std::move(label))
{
}

Progress::~Progress()
{
  finish();
}

void Progress::update(std::size_t done, std::size_t total)
{
  if (m_enabled) {
    draw(std::to_string(done) + "/" + std::to_string(total) + percent(done, total), done >= total);
  }
}

void Progress::update(std::size_t count, const char* unit, std::size_t part, std::optional<std::size_t> whole)
{
  if (m_enabled) {
    draw(std::to_string(count) + " " + unit + (whole ? percent(part, *whole) : std::string()),
         whole && part >= *whole);
  }
}

void Progress::draw(const std::string& text, bool last)
{
  const auto now = std::chrono::steady_clock::now();
  if (m_shown && !last && now - m_last < k_interval) {
    return;
  }
  m_last = now;
  m_shown = true;
  // \r and "erase to the end of the line": the line is rewritten in place.
  std::fprintf(stderr, "\r\033[K%s: %s", m_label.c_str(), text.c_str());
  std::fflush(stderr);
}

void Progress::finish()
{
  if (m_shown) {
    std::fputs("\r\033[K", stderr);
    std::fflush(stderr);
    m_shown = false;
  }
}

} // namespace mfa::app
