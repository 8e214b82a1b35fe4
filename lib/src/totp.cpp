// SPDX-License-Identifier: MIT
#include "crypto.hpp"

#include <mfa/totp.hpp>

#include <openssl/crypto.h>

#include <array>

namespace mfa {

namespace {

constexpr std::array<std::uint32_t, 10> k_powers = {1,      10,      100,      1000,      10000,
                                                    100000, 1000000, 10000000, 100000000, 1000000000};

} // namespace

std::string hotp(std::span<const std::uint8_t> key, std::uint64_t counter, Algorithm algorithm, int digits)
{
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
  const int d = digits < 1 ? 1 : (digits > 9 ? 9 : digits);
  std::string code = std::to_string(binary % k_powers[static_cast<std::size_t>(d)]);
  return std::string(static_cast<std::size_t>(d) - code.size(), '0') + code;
}

std::int64_t totp_step(std::int64_t unix_time, int period)
{
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
  if (code.size() != static_cast<std::size_t>(params.digits)) {
    return std::nullopt;
  }
  const std::int64_t now = totp_step(unix_time, params.period);
  std::optional<TotpMatch> found;
  for (int drift = -window; drift <= window; ++drift) {
    const std::int64_t step = now + drift;
    const std::string expected = hotp(key, static_cast<std::uint64_t>(step), params.algorithm, params.digits);
    const bool same = CRYPTO_memcmp(expected.data(), code.data(), code.size()) == 0;
    // No early exit: every step costs the same, matched or not.
    const bool usable = step >= min_step && step >= 0;
    if (same && usable && !found) {
      found = TotpMatch{step, drift};
    }
  }
  return found;
}

} // namespace mfa
