// SPDX-License-Identifier: MIT
#pragma once

#include <mfa/export.hpp>
#include <mfa/options.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace mfa {

inline constexpr int k_min_period = 15;  // seconds
inline constexpr int k_max_period = 300; // seconds
inline constexpr int k_max_window = 10;  // steps either side of now

// The parameters fixed into an enrollment.
struct TotpParams
{
  Algorithm algorithm = Algorithm::sha1;
  int digits = 6;  // 6 or 8
  int period = 30; // seconds, k_min_period..k_max_period
};

// Throws InvalidArgument unless the period is 15..300 seconds and the digits
// 6 or 8. totp (and the library's own time-step and verification functions)
// check their parameters the same way before any arithmetic.
MFA_API void validate(const TotpParams& params);

// The TOTP code at a Unix time.
// Throws InvalidArgument for parameters validate() refuses.
MFA_API std::string totp(std::span<const std::uint8_t> key, std::int64_t unix_time, const TotpParams& params);

} // namespace mfa
