// SPDX-License-Identifier: MIT
#pragma once

#include <mfa/export.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
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

// Filters combine with AND. (The initializers let callers name only the
// first fields without a missing-initializer warning.)
struct AuditQuery
{
  std::optional<std::string> user = {};   // only entries about this user
  std::optional<int> limit = {};          // only the newest N entries
  std::optional<std::string> action = {}; // only entries of this action
  std::optional<std::int64_t> since = {}; // only entries at or after this Unix time
  std::optional<std::int64_t> until = {}; // only entries before this Unix time
};

// Every action the log records, for `--action` and its error message.
// Throws nothing.
MFA_API std::span<const std::string_view> audit_actions();

// Parses an audit time bound: RFC 3339 ("2026-11-30T14:41:54Z",
// "2026-11-30T15:41:54.5+01:00") or a date ("2026-11-30", UTC midnight).
// Fractions of a second round up, since entries are stamped in whole
// seconds: `at >= t` and `at < t` then mean the same as with the fraction.
// Nothing when `text` is neither form or names no real date or time.
// Throws nothing.
MFA_API std::optional<std::int64_t> parse_audit_time(std::string_view text);

// The audit log, newest first (by time, then by order of writing).
// Throws StorageError when the database cannot be read.
MFA_API std::vector<AuditEntry> audit_log(Database& db, const AuditQuery& query = {});

// Whether the log mentions this user at all (a removed user still has history).
// Throws StorageError when the database cannot be read.
MFA_API bool audit_mentions_user(Database& db, const std::string& name);

// The rows a prune before `before` would delete: how many, and the newest
// row id among them, so that the prune deletes exactly what was counted
// (rows written since are never taken along).
struct AuditPrunePlan
{
  std::int64_t before = 0;
  std::int64_t rows = 0;
  std::int64_t last_id = 0;
};

// Throws StorageError when the database cannot be read.
MFA_API AuditPrunePlan plan_audit_prune(Database& db, std::int64_t before);

// Deletes the planned rows (those before `plan.before` with an id up to
// `plan.last_id`) in one write transaction, which also appends one
// `audit.prune` row saying how many were removed. A plan of no rows changes
// nothing and writes no row. Returns how many rows were removed. Throws
// StorageError when the database cannot be written.
MFA_API std::int64_t prune_audit(Database& db, const AuditPrunePlan& plan, std::string_view actor);

} // namespace mfa
