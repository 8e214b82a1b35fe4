// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mfa::app {

// Edits (insertions, deletions, substitutions and swaps of two neighbours)
// that turn `a` into `b`, ignoring ASCII case.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidates a person most likely meant by `word`: the nearest by
// edit_distance() when near enough for a typo (one edit for a short word,
// two for a longer one), else those that `word` is the start of. Empty when
// none is near.
std::vector<std::string> closest(std::string_view word, const std::vector<std::string>& candidates);

// "'a'", "'a' or 'b'", "'a', 'b' or 'c'".
std::string quoted_alternatives(const std::vector<std::string>& words);

} // namespace mfa::app
