// SPDX-License-Identifier: MIT
// parse_otpauth_uri on any text: it never crashes, and a URI it accepts,
// built again, parses to the same issuer, account, secret and parameters.
#include "check.hpp"

#include <mfa/otpauth.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  const auto parsed = mfa::parse_otpauth_uri(fuzz::text(data, size));
  if (!parsed) {
    FUZZ_CHECK(!parsed.error().empty());
    return 0;
  }
  FUZZ_CHECK(!parsed->secret.empty());
  FUZZ_CHECK(parsed->params.digits == 6 || parsed->params.digits == 8);
  FUZZ_CHECK(parsed->params.period >= 15 && parsed->params.period <= 300);
  const auto built = mfa::build_otpauth_uri(*parsed);
  const auto again = mfa::parse_otpauth_uri(built);
  FUZZ_CHECK(again);
  FUZZ_CHECK(again->issuer == parsed->issuer);
  FUZZ_CHECK(again->account == parsed->account);
  FUZZ_CHECK(again->secret == parsed->secret);
  FUZZ_CHECK(again->params.algorithm == parsed->params.algorithm);
  FUZZ_CHECK(again->params.digits == parsed->params.digits);
  FUZZ_CHECK(again->params.period == parsed->params.period);
  FUZZ_CHECK(mfa::build_otpauth_uri(*again) == built);
  return 0;
}
