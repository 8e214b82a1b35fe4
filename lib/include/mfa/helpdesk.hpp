// SPDX-License-Identifier: MIT
#pragma once

#include <mfa/export.hpp>
#include <mfa/outcome.hpp>
#include <mfa/users.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace mfa {

class Database;

// Removes the user's enrollment, backup codes, failure count and lock, so
// the user enrolls again at the next login. Audited with the reason.
MFA_API Outcome<User> reset_user(Database& db, std::string_view name, const std::optional<std::string>& reason,
                                 std::string_view actor);

// Clears only the lock and the failure count. Audited with the reason.
MFA_API Outcome<User> unlock_user(Database& db, std::string_view name, const std::optional<std::string>& reason,
                                  std::string_view actor);

} // namespace mfa
