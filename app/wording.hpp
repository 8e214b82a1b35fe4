// SPDX-License-Identifier: MIT
#pragma once

#include <string>

namespace mfa::app {

// "1 user", "2 users", "0 users": a count with its noun, in English.
inline std::string count_of(long long count, const std::string& noun, const std::string& plural = {})
{
  return std::to_string(count) + " " + (count == 1 ? noun : (plural.empty() ? noun + "s" : plural));
}

} // namespace mfa::app
