// SPDX-License-Identifier: MIT
#pragma once

#include <mfa/export.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mfa {

class Database;

struct AuditEntry
{
  std::int64_t id = 0;
  std::int64_t at = 0; // Unix seconds, UTC
  std::string actor;
  std::string action; // e.g. "options.set", "users.add"
  std::string target; // an option key or a user name
  std::optional<std::string> old_value;
  std::optional<std::string> new_value;
  std::optional<std::string> reason; // given by the helpdesk, or why a code was rejected
};

struct AuditQuery
{
  std::optional<std::string> user; // only entries about this user
  std::optional<int> limit;        // only the newest N entries
};

// The audit log, oldest first.
MFA_API std::vector<AuditEntry> audit_log(Database& db, const AuditQuery& query = {});

// Whether the log mentions this user at all (a removed user still has history).
MFA_API bool audit_mentions_user(Database& db, const std::string& name);

} // namespace mfa
