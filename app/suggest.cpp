// SPDX-License-Identifier: MIT
#include "suggest.hpp"

#include <algorithm>
#include <cctype>

namespace mfa::app {

namespace {

char lower(char c)
{
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix)
{
  return prefix.size() <= text.size()
         && std::equal(prefix.begin(), prefix.end(), text.begin(), [](char a, char b) { return lower(a) == lower(b); });
}

} // namespace

std::size_t edit_distance(std::string_view a, std::string_view b)
{
  // Optimal string alignment: Levenshtein plus swaps ("emial" is one edit
  // from "email"), over three rows.
  std::vector<std::size_t> before(b.size() + 1), previous(b.size() + 1), current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) {
    previous[j] = j;
  }
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) && lower(a[i - 2]) == lower(b[j - 1])) {
        current[j] = std::min(current[j], before[j - 2] + 1);
      }
    }
    before.swap(previous);
    previous.swap(current);
  }
  return previous[b.size()];
}

std::vector<std::string> closest(std::string_view word, const std::vector<std::string>& candidates)
{
  const std::size_t allowed = word.size() <= 4 ? 1 : 2;
  std::size_t best = allowed + 1;
  std::vector<std::string> nearest;
  for (const auto& candidate : candidates) {
    const std::size_t d = edit_distance(word, candidate);
    if (d > allowed) {
      continue;
    }
    if (d < best) {
      best = d;
      nearest.clear();
    }
    if (d == best && std::find(nearest.begin(), nearest.end(), candidate) == nearest.end()) {
      nearest.push_back(candidate);
    }
  }
  if (!nearest.empty() || word.size() < 2) {
    return nearest;
  }
  for (const auto& candidate : candidates) {
    if (starts_with_ignoring_case(candidate, word)
        && std::find(nearest.begin(), nearest.end(), candidate) == nearest.end()) {
      nearest.push_back(candidate);
    }
  }
  return nearest;
}

std::string quoted_alternatives(const std::vector<std::string>& words)
{
  std::string text;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) {
      text += i + 1 == words.size() ? " or " : ", ";
    }
    text += "'" + words[i] + "'";
  }
  return text;
}

} // namespace mfa::app
