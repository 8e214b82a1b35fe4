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

struct HelpdeskResult
{
  User user;            // as it is after the call
  bool changed = false; // false: there was nothing to do, and nothing was written or audited
};

// Removes the user's enrollment, backup codes, failure count and lock, so
// the user enrolls again at the next login. Audited with the reason. A user
// with no enrollment (and no failures) is left as is: changed is false.
// invalid: a reason with a control character.
// Throws StorageError when the database cannot be written.
MFA_API Outcome<HelpdeskResult> reset_user(Database& db, std::string_view name,
                                           const std::optional<std::string>& reason, std::string_view actor);

// Clears only the lock and the failure count. Audited with the reason. A
// user neither locked nor failing is left as is: changed is false.
// Throws StorageError when the database cannot be written.
MFA_API Outcome<HelpdeskResult> unlock_user(Database& db, std::string_view name,
                                            const std::optional<std::string>& reason, std::string_view actor);

} // namespace mfa
