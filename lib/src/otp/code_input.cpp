// SPDX-License-Identifier: MIT
#include "otp/code_input.hpp"

#include "crypto/backup_code.hpp"

#include <algorithm>

namespace mfa::detail {

TypedCode classify_code(std::string_view typed)
{
  if (typed.size() > k_max_code_bytes) {
    return {CodeKind::malformed, {}};
  }
  std::string compact;
  for (char c : typed) {
    if (c != ' ' && c != '\t') {
      compact += c;
    }
  }
  if (compact.empty()) {
    return {CodeKind::empty, {}};
  }
  const bool digits = std::all_of(compact.begin(), compact.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (digits && (compact.size() == 6 || compact.size() == 8)) {
    return {CodeKind::totp, std::move(compact)};
  }
  if (auto backup = normalize_backup_code(compact)) {
    return {CodeKind::backup, std::move(*backup)};
  }
  return {CodeKind::malformed, {}};
}

} // namespace mfa::detail
