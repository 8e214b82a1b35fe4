// SPDX-License-Identifier: MIT
#pragma once

// Private to libmfa: HOTP, time steps and the verification window. The
// public API verifies through verify_code and confirm_enrollment; <mfa/totp.hpp>
// keeps TotpParams, validate and totp (what a phone computes).

#include <mfa/totp.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace mfa {

// RFC 4226 HOTP value for a counter, zero-padded to `digits` (1..9, else
// InvalidArgument).
std::string hotp(std::span<const std::uint8_t> key, std::uint64_t counter, Algorithm algorithm, int digits);

// The RFC 6238 time step of a Unix time (T0 = 0), 64-bit: correct past 2038.
// Throws InvalidArgument for a period outside 15..300 seconds.
std::int64_t totp_step(std::int64_t unix_time, int period);

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
std::optional<TotpMatch> verify_totp(std::span<const std::uint8_t> key, std::string_view code,
                                     std::int64_t unix_time, const TotpParams& params, int window,
                                     std::int64_t min_step = 0);

} // namespace mfa
