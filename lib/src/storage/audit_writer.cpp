// SPDX-License-Identifier: MIT
#include "storage/audit_writer.hpp"

#include "storage/database_impl.hpp"

#include <mfa/text.hpp>

#include <SQLiteCpp/Statement.h>

#include <algorithm>

namespace mfa::detail {

void append_audits(DatabaseImpl& db, const std::vector<AuditRecord>& entries)
{
  const auto at = static_cast<int64_t>(db.now());
  for_each_chunk(entries.size(), [&](std::size_t first, std::size_t count) {
    // The time is ?1; a bulk's actor, action and kind, when every entry has
    // the same, are ?2 to ?4, bound once.
    const AuditRecord& head = entries[first];
    const bool shared = std::all_of(entries.begin() + static_cast<std::ptrdiff_t>(first),
                                    entries.begin() + static_cast<std::ptrdiff_t>(first + count), [&](const auto& entry) {
                                      return entry.actor == head.actor && entry.action == head.action
                                             && entry.kind == head.kind;
                                    });
    BoundText text;
    auto insert = db.bulk_statement(
      values_sql(std::string(k_bulk_insert) + "audit (at, actor, action, target_kind, target, old_value, new_value, reason) VALUES ",
                 count, shared ? "(?1, ?2, ?3, ?4, ?, ?, ?, ?)" : "(?1, ?, ?, ?, ?, ?, ?, ?)"),
      count);
    insert->bind(1, at);
    int index = 1;
    // The last line of defence for callers that did not check (a PAM module's
    // remote user, say): the log never holds a control character.
    auto bind_head = [&](const AuditRecord& entry) {
      text.bind(*insert, ++index, escape_text(entry.actor, Combining::keep));
      text.bind(*insert, ++index, entry.action);
      insert->bindNoCopy(++index, audit_kind_text(entry.kind));
    };
    if (shared) {
      bind_head(head);
    }
    for (std::size_t i = first; i < first + count; ++i) {
      const AuditRecord& entry = entries[i]; // lives past the statement's run
      if (!shared) {
        bind_head(entry);
      }
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
