// SPDX-License-Identifier: MIT
#include "otp/totp.hpp"
#include "crypto/crypto.hpp"

#include <mfa/error.hpp>

#include <array>
#include <string>

namespace mfa {

namespace {

constexpr std::array<std::uint32_t, 10> k_powers = {1,      10,      100,      1000,      10000,
                                                    100000, 1000000, 10000000, 100000000, 1000000000};

// The checks liboath makes before any arithmetic: a period of 0 would divide
// by zero, and other values would make codes no authenticator shows.
void check_period(int period)
{
  if (period < k_min_period || period > k_max_period) {
    throw InvalidArgument("TOTP period " + std::to_string(period) + " is outside " + std::to_string(k_min_period)
                          + " to " + std::to_string(k_max_period) + " seconds");
  }
}

void check_digits(int digits)
{
  if (digits < 1 || digits > 9) {
    throw InvalidArgument("HOTP digits " + std::to_string(digits) + " is outside 1 to 9");
  }
}

} // namespace

void validate(const TotpParams& params)
{
  check_period(params.period);
  check_digits(params.digits);
  if (params.digits != 6 && params.digits != 8) {
    throw InvalidArgument("TOTP digits " + std::to_string(params.digits) + " is neither 6 nor 8");
  }
}

std::string hotp(std::span<const std::uint8_t> key, std::uint64_t counter, Algorithm algorithm, int digits)
{
  check_digits(digits);
  std::array<std::uint8_t, 8> message{};
  for (int i = 7; i >= 0; --i) {
    message[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(counter & 0xFF);
    counter >>= 8;
  }
  auto mac = detail::hmac(algorithm, key, message);
  // RFC 4226 section 5.3: dynamic truncation.
  const std::size_t offset = mac.back() & 0x0F;
  const std::uint32_t binary = (static_cast<std::uint32_t>(mac[offset] & 0x7F) << 24)
                               | (static_cast<std::uint32_t>(mac[offset + 1]) << 16)
                               | (static_cast<std::uint32_t>(mac[offset + 2]) << 8) | mac[offset + 3];
  detail::cleanse(mac);
  std::string code = std::to_string(binary % k_powers[static_cast<std::size_t>(digits)]);
  return std::string(static_cast<std::size_t>(digits) - code.size(), '0') + code;
}

std::int64_t totp_step(std::int64_t unix_time, int period)
{
  check_period(period);
  // Floor division, so that times before 1970 do not round toward zero.
  std::int64_t step = unix_time / period;
  if (unix_time % period != 0 && unix_time < 0) {
    --step;
  }
  return step;
}

std::string totp(std::span<const std::uint8_t> key, std::int64_t unix_time, const TotpParams& params)
{
  return hotp(key, static_cast<std::uint64_t>(totp_step(unix_time, params.period)), params.algorithm, params.digits);
}

std::optional<TotpMatch> verify_totp(std::span<const std::uint8_t> key, std::string_view code,
                                     std::int64_t unix_time, const TotpParams& params, int window,
                                     std::int64_t min_step)
{
  validate(params);
  if (window < 0 || window > k_max_window) {
    throw InvalidArgument("TOTP window " + std::to_string(window) + " is outside 0 to " + std::to_string(k_max_window));
  }
  if (code.size() != static_cast<std::size_t>(params.digits)) {
    return std::nullopt;
  }
  const std::int64_t now = totp_step(unix_time, params.period);
  std::optional<TotpMatch> found;
  for (int drift = -window; drift <= window; ++drift) {
    const std::int64_t step = now + drift;
    const std::string expected = hotp(key, static_cast<std::uint64_t>(step), params.algorithm, params.digits);
    const bool same = detail::equal_constant_time(detail::as_bytes(expected), detail::as_bytes(code));
    // No early exit: every step costs the same, matched or not.
    const bool usable = step >= min_step && step >= 0;
    if (same && usable && !found) {
      found = TotpMatch{step, drift};
    }
  }
  return found;
}

} // namespace mfa
