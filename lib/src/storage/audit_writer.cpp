// SPDX-License-Identifier: MIT
#include "storage/audit_writer.hpp"

#include "storage/database_impl.hpp"

#include <mfa/text.hpp>

#include <SQLiteCpp/Statement.h>

namespace mfa::detail {

void append_audit(DatabaseImpl& db, const AuditRecord& entry)
{
  auto lease = db.statement(R"sql(
    INSERT INTO audit (at, actor, action, target_kind, target, old_value, new_value, reason)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?))sql");
  auto& insert = *lease;
  insert.bind(1, static_cast<int64_t>(db.now()));
  // The last line of defence for callers that did not check (a PAM module's
  // remote user, say): the log never holds a control character.
  insert.bind(2, escape_text(entry.actor, Combining::keep));
  insert.bind(3, std::string(entry.action));
  insert.bind(4, entry.kind == AuditTarget::option ? "option" : entry.kind == AuditTarget::user ? "user" : "audit");
  insert.bind(5, std::string(entry.target));
  if (entry.old_value) {
    insert.bind(6, *entry.old_value);
  }
  if (entry.new_value) {
    insert.bind(7, *entry.new_value);
  }
  if (entry.reason) {
    insert.bind(8, escape_text(*entry.reason, Combining::keep));
  }
  insert.exec();
}

} // namespace mfa::detail
