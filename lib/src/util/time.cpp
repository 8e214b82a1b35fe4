// SPDX-License-Identifier: MIT
#include <mfa/clock.hpp>
#include <mfa/error.hpp>

#include <chrono>
#include <ctime>

namespace mfa {

Clock system_clock()
{
  return [] {
    return static_cast<std::int64_t>(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count());
  };
}

std::string format_rfc3339(std::int64_t unix_seconds)
{
  const auto t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

} // namespace mfa
