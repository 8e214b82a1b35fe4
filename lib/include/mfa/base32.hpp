// SPDX-License-Identifier: MIT
#pragma once

#include <mfa/export.hpp>
#include <mfa/parsed.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mfa {

// RFC 4648 base32 (alphabet A-Z2-7), upper case, without padding.
// Throws nothing.
MFA_API std::string base32_encode(std::span<const std::uint8_t> bytes);

// Decodes base32 in either case, ignoring spaces and trailing '=' padding.
// Rejects any other character, padding that is not at the end, a length no
// encoder produces, and non-zero trailing bits.
// Throws nothing.
MFA_API Parsed<std::vector<std::uint8_t>> base32_decode(std::string_view text);

} // namespace mfa
