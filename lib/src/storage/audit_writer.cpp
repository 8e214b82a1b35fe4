// SPDX-License-Identifier: MIT
#include "storage/audit_writer.hpp"

#include "storage/database_impl.hpp"

#include <mfa/text.hpp>

#include <SQLiteCpp/Statement.h>

namespace mfa::detail {

void append_audits(DatabaseImpl& db, const std::vector<AuditRecord>& entries)
{
  const auto at = static_cast<int64_t>(db.now());
  for_each_chunk(entries.size(), [&](std::size_t first, std::size_t count) {
    BoundText text;
    auto insert = db.statement(
      values_sql("INSERT INTO audit (at, actor, action, target_kind, target, old_value, new_value, reason) VALUES ",
                 count, 8));
    // A bulk's entries share their actor: escaped once.
    std::string_view actor;
    const std::string* escaped_actor = nullptr;
    int index = 0;
    for (std::size_t i = first; i < first + count; ++i) {
      const AuditRecord& entry = entries[i]; // lives past the statement's run
      insert->bind(++index, at);
      // The last line of defence for callers that did not check (a PAM module's
      // remote user, say): the log never holds a control character.
      if (i == first || entry.actor != actor) {
        actor = entry.actor;
        escaped_actor = &text.bind(*insert, ++index, escape_text(actor, Combining::keep));
      } else {
        insert->bindNoCopy(++index, *escaped_actor);
      }
      text.bind(*insert, ++index, entry.action);
      insert->bindNoCopy(++index, entry.kind == AuditTarget::option ? "option"
                                  : entry.kind == AuditTarget::user ? "user"
                                                                    : "audit");
      text.bind(*insert, ++index, entry.target);
      if (entry.old_value) {
        insert->bindNoCopy(index + 1, *entry.old_value);
      }
      if (entry.new_value) {
        insert->bindNoCopy(index + 2, *entry.new_value);
      }
      if (entry.reason) {
        text.bind(*insert, index + 3, escape_text(*entry.reason, Combining::keep));
      }
      index += 3;
    }
    insert->exec();
  });
}

} // namespace mfa::detail
