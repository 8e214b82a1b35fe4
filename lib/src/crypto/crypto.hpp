// SPDX-License-Identifier: MIT
#pragma once

#include <mfa/options.hpp>

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace mfa::detail {

using Bytes = std::vector<std::uint8_t>;

// Initialises OpenSSL once per process, reading the system configuration but
// without registering every legacy cipher and digest name: libmfa fetches
// the few algorithms it uses from the provider by name, and the full legacy
// tables double the start-up work of every short mfa process. Call it
// before any other OpenSSL use.
void init_openssl();

// HMAC over OpenSSL 3's EVP_MAC. Throws mfa::Error if OpenSSL fails.
Bytes hmac(Algorithm algorithm, std::span<const std::uint8_t> key, std::span<const std::uint8_t> message);

// Constant-time equality of two byte strings (lengths are not secret).
bool equal_constant_time(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b);

// Overwrites a buffer so the compiler cannot elide it.
void cleanse(std::span<std::uint8_t> buffer);

inline std::span<const std::uint8_t> as_bytes(std::string_view text)
{
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

} // namespace mfa::detail
