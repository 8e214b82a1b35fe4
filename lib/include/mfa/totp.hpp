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
// 6 or 8. totp_step, totp and verify_totp check their parameters the same
// way before any arithmetic (hotp accepts 1..9 digits, as RFC 4226 does).
MFA_API void validate(const TotpParams& params);

// RFC 4226 HOTP value for a counter, zero-padded to `digits` (1..9, else
// InvalidArgument).
MFA_API std::string hotp(std::span<const std::uint8_t> key, std::uint64_t counter, Algorithm algorithm, int digits);

// The RFC 6238 time step of a Unix time (T0 = 0), 64-bit: correct past 2038.
// Throws InvalidArgument for a period outside 15..300 seconds.
MFA_API std::int64_t totp_step(std::int64_t unix_time, int period);

// The TOTP code at a Unix time.
// Throws InvalidArgument for parameters validate() refuses.
MFA_API std::string totp(std::span<const std::uint8_t> key, std::int64_t unix_time, const TotpParams& params);

struct TotpMatch
{
  std::int64_t step = 0; // the time step whose code matched
  int drift = 0;         // step minus the current step, within -window..window
};

// Checks a code against every step from now-window to now+window. Every step
// is computed and compared in constant time, without stopping at a match, so
// the time taken says nothing about which step matched. Steps below
// `min_step` (already used) never match. Returns the matching step, if any.
// Throws InvalidArgument for parameters validate() refuses or a window
// outside 0..10.
MFA_API std::optional<TotpMatch> verify_totp(std::span<const std::uint8_t> key, std::string_view code,
                                             std::int64_t unix_time, const TotpParams& params, int window,
                                             std::int64_t min_step = 0);

} // namespace mfa
