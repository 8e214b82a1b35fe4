// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mfa::detail {

class DatabaseImpl;

enum class AuditTarget
{
  option,
  user,
  log, // the audit log itself (audit.prune)
};

// Appends one row to the audit log at the database clock's time. Call it
// inside the transaction that makes the change, so both land or neither.
// An actor or a reason is stored with control characters escaped
// (escape_text, combining marks kept): callers refuse such text first, and
// this keeps the log safe when one did not.
void append_audit(DatabaseImpl& db, std::string_view actor, std::string_view action, AuditTarget kind,
                  std::string_view target, const std::optional<std::string>& old_value,
                  const std::optional<std::string>& new_value,
                  const std::optional<std::string>& reason = std::nullopt);

} // namespace mfa::detail
