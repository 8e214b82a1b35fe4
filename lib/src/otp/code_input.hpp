// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>

namespace mfa::detail {

enum class CodeKind
{
  empty,     // nothing but white space: a usage error, not a guess
  totp,      // 6 or 8 ASCII digits
  backup,    // a backup code in its canonical form
  malformed, // anything else: a rejected guess
};

struct TypedCode
{
  CodeKind kind = CodeKind::empty;
  std::string text; // totp: the digits; backup: the normalised code; else empty
};

// The one reading of a code a person typed, shared by verify and enroll
// --confirm. Spaces and tabs anywhere are ignored (apps show "123 456").
// Six or eight ASCII digits are a TOTP code; otherwise a backup code as
// normalize_backup_code reads it (dashes and case ignored). Everything else
// is malformed: full-width digits, a sign, hex, a NUL, or more than
// k_max_code_bytes bytes (never scanned further).
inline constexpr std::size_t k_max_code_bytes = 64;
TypedCode classify_code(std::string_view typed);

} // namespace mfa::detail
