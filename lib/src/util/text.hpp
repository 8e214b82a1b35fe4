// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mfa::detail {

// ASCII lower-casing; other bytes are kept as they are.
std::string ascii_lower(std::string_view text);

bool iequals(std::string_view a, std::string_view b);
bool icontains(std::string_view haystack, std::string_view needle);
std::string_view trim(std::string_view text);

// A user name as every path stores and looks it up: without the spaces
// (U+0020 only) around it.
std::string_view trim_name(std::string_view text);

// The number of code points when `text` is valid UTF-8 without control
// characters (C0, DEL, C1) or invisible format characters (bidirectional
// controls, zero-width characters, line and paragraph separators); nothing
// otherwise. mfa::escape_text() escapes exactly these, and combining marks.
std::optional<std::size_t> printable_utf8_length(std::string_view text);

// The value of a hexadecimal digit in either case, or -1.
int hex_digit(char c);

// A decimal integer of at most 9 digits with nothing else around it.
std::optional<int> parse_int(std::string_view text);

} // namespace mfa::detail
