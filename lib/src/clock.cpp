// SPDX-License-Identifier: MIT
#include "crypto.hpp"

#include <mfa/clock.hpp>
#include <mfa/error.hpp>

#include <openssl/rand.h>

#include <chrono>
#include <ctime>
#include <limits>

namespace mfa {

Clock system_clock()
{
  return [] {
    return static_cast<std::int64_t>(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count());
  };
}

RandomSource system_random()
{
  return [](std::span<std::uint8_t> out) {
    detail::init_openssl();
    // RAND_bytes takes an int length; our buffers are small, but be exact.
    while (!out.empty()) {
      const auto chunk = std::min<std::size_t>(out.size(), std::numeric_limits<int>::max());
      if (RAND_bytes(out.data(), static_cast<int>(chunk)) != 1) {
        throw Error("the system random number generator failed");
      }
      out = out.subspan(chunk);
    }
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
