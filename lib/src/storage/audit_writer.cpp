// SPDX-License-Identifier: MIT
#include "storage/audit_writer.hpp"

#include "storage/database_impl.hpp"

#include <mfa/text.hpp>

#include <SQLiteCpp/Statement.h>

namespace mfa::detail {

void append_audit(DatabaseImpl& db, std::string_view actor, std::string_view action, AuditTarget kind,
                  std::string_view target, const std::optional<std::string>& old_value,
                  const std::optional<std::string>& new_value, const std::optional<std::string>& reason)
{
  auto lease = db.statement(R"sql(
    INSERT INTO audit (at, actor, action, target_kind, target, old_value, new_value, reason)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?))sql");
  auto& insert = *lease;
  insert.bind(1, static_cast<int64_t>(db.now()));
  // The last line of defence for callers that did not check (a PAM module's
  // remote user, say): the log never holds a control character.
  insert.bind(2, escape_text(actor, Combining::keep));
  insert.bind(3, std::string(action));
  insert.bind(4, kind == AuditTarget::option ? "option" : kind == AuditTarget::user ? "user" : "audit");
  insert.bind(5, std::string(target));
  if (old_value) {
    insert.bind(6, *old_value);
  }
  if (new_value) {
    insert.bind(7, *new_value);
  }
  if (reason) {
    insert.bind(8, escape_text(*reason, Combining::keep));
  }
  insert.exec();
}

} // namespace mfa::detail
