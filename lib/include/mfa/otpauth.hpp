// SPDX-License-Identifier: MIT
#pragma once

#include <mfa/export.hpp>
#include <mfa/parsed.hpp>
#include <mfa/totp.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mfa {

// One otpauth://totp URI (Google Authenticator Key URI format).
struct OtpauthUri
{
  std::string issuer;  // may be empty
  std::string account; // the user name
  std::vector<std::uint8_t> secret;
  TotpParams params;
};

// otpauth://totp/ISSUER:ACCOUNT?secret=BASE32&issuer=ISSUER&algorithm=SHA1&digits=6&period=30
// Label parts and the issuer parameter are percent-encoded (everything but
// A-Z a-z 0-9 - . _ ~, so ':' '&' '#' '%' '?' '/' spaces and UTF-8 bytes
// too); the secret is base32 without padding.
// Throws nothing.
MFA_API std::string build_otpauth_uri(const OtpauthUri& uri);

// Parses such a URI. Rejects another scheme or type, a missing or bad
// secret, an unknown algorithm, digits other than 6 or 8, a period outside
// 15..300 (so also 0), bad percent-encoding, repeated parameters, and an
// issuer parameter that differs from the label's issuer.
// Throws nothing.
MFA_API Parsed<OtpauthUri> parse_otpauth_uri(std::string_view text);

// Percent-encodes every byte but the RFC 3986 unreserved characters.
// Throws nothing.
MFA_API std::string percent_encode(std::string_view text);

} // namespace mfa
