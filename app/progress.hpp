// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

namespace mfa::app {

class Context;

// A progress line on stderr for long work, rewritten in place: only when
// stderr is a terminal and never in --json mode (then every call is a no-op).
// Updates are drawn at most ten times a second, but the first and the last
// (done == total) always are; the line is cleared when the work ends.
class Progress
{
public:
  Progress(const Context& ctx, std::string label);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  bool enabled() const { return m_enabled; }
  // "LABEL: DONE/TOTAL (P%)"
  void update(std::size_t done, std::size_t total);
  // "LABEL: COUNT UNIT (P%)", the share from `part` of `whole` when known.
  void update(std::size_t count, const char* unit, std::size_t part, std::optional<std::size_t> whole);
  // Clears the line (also done by the destructor).
  void finish();

private:
  void draw(const std::string& text, bool last);

  bool m_enabled = false;
  bool m_shown = false;
  std::string m_label;
  std::chrono::steady_clock::time_point m_last{};
};

} // namespace mfa::app
