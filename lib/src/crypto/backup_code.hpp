// SPDX-License-Identifier: MIT
#pragma once

// Private to libmfa (no application needs these primitives; the public
// API seals, hashes and checks through enrollment, verify and backup codes).

#include <mfa/clock.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mfa {

// Backup codes are 10 characters of Crockford's base32 alphabet
// (0-9 a-z without i l o u), shown as "xxxxx-xxxxx": 50 random bits each.
inline constexpr std::size_t k_backup_code_length = 10;

// PBKDF2-HMAC-SHA256 iterations for a new hash. A login with a backup code
// checks every unused code of the user (each has its own salt); at 5,000
// iterations a full set of 20 takes about 40 ms on one core.
inline constexpr int k_backup_code_iterations = 5000;

struct BackupCodeHash
{
  int iterations = k_backup_code_iterations;
  std::vector<std::uint8_t> salt; // 16 random bytes, unique per code
  std::vector<std::uint8_t> hash; // 32 bytes
  bool operator==(const BackupCodeHash&) const = default;
};

// A new code, formatted for people: "xxxxx-xxxxx".
// Throws what `random` throws (system_random(): mfa::Error).
std::string generate_backup_code(const RandomSource& random);

// The canonical form of what a person typed: spaces and dashes removed,
// lower case, and the look-alikes o -> 0, i and l -> 1. Nothing when the
// result is not 10 characters of the alphabet.
// Throws nothing.
std::optional<std::string> normalize_backup_code(std::string_view text);

// A salted slow hash of a normalised code.
// Throws mfa::Error when OpenSSL fails, and what `random` throws.
BackupCodeHash hash_backup_code(std::string_view normalized, const RandomSource& random,
                                int iterations = k_backup_code_iterations);

// Whether a normalised code matches a stored hash (constant-time compare).
// Throws mfa::Error when OpenSSL fails.
bool check_backup_code(std::string_view normalized, const BackupCodeHash& stored);

} // namespace mfa
