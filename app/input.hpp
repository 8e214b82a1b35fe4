// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace mfa::app {

// The whole of a file, or of standard input for "-". A file that cannot be
// read, or is longer than `max_bytes`, is a usage Failure naming it.
std::string read_input(const std::string& path, std::size_t max_bytes = SIZE_MAX);

// The code a person gives: the argument, or for none or "-" one line of
// standard input (asked for with "Code: " and read without echo on a
// terminal), so that a code need not appear in `ps`.
std::string read_code(const std::optional<std::string>& given, bool stdin_is_terminal);

} // namespace mfa::app
