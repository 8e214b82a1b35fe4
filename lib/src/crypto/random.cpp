// SPDX-License-Identifier: MIT
#include "crypto/crypto.hpp"

#include <mfa/clock.hpp>
#include <mfa/error.hpp>

#include <openssl/rand.h>

#include <algorithm>
#include <limits>

namespace mfa {

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

} // namespace mfa
