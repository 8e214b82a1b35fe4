// SPDX-License-Identifier: MIT
#pragma once

#include <mfa/export.hpp>

#include <cstdint>
#include <cstddef>
#include <functional>
#include <span>
#include <string>

namespace mfa {

// Seconds since the Unix epoch. Injected everywhere time matters so that
// tests can use fixed times; never read inside a unit.
using Clock = std::function<std::int64_t()>;

// Fills a buffer with unpredictable bytes. Injected like the clock.
using RandomSource = std::function<void(std::span<std::uint8_t>)>;

// The wall clock.
// Throws nothing.
MFA_API Clock system_clock();

// OpenSSL's CSPRNG (RAND_bytes). Throws mfa::Error if it fails.
MFA_API RandomSource system_random();

// Formats a Unix time as RFC 3339 UTC, e.g. "2026-11-30T14:41:54Z".
// Throws nothing.
MFA_API std::string format_rfc3339(std::int64_t unix_seconds);

} // namespace mfa
