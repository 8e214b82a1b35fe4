// SPDX-License-Identifier: MIT
#pragma once

// One table of names per enum: to_string() and parse_*() of the public API
// both read it, so a name and its parse can never disagree.

#include "util/text.hpp"

#include <array>
#include <optional>
#include <string_view>

namespace mfa::detail {

template<typename Enum>
struct Named
{
  Enum value;
  const char* name;
};

// The name of `value` in `table` (the first entry's name for a value the
// table lacks: the enum's default).
template<typename Enum, std::size_t N>
constexpr const char* name_of(const std::array<Named<Enum>, N>& table, Enum value)
{
  for (const auto& entry : table) {
    if (entry.value == value) {
      return entry.name;
    }
  }
  return table[0].name;
}

// The value named `text` in `table`, ignoring ASCII case.
template<typename Enum, std::size_t N>
std::optional<Enum> parse_name(const std::array<Named<Enum>, N>& table, std::string_view text)
{
  for (const auto& entry : table) {
    if (iequals(text, entry.name)) {
      return entry.value;
    }
  }
  return std::nullopt;
}

} // namespace mfa::detail
