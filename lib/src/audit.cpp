// SPDX-License-Identifier: MIT
#include "database_impl.hpp"
#include "text.hpp"

#include <mfa/audit.hpp>

#include <SQLiteCpp/Statement.h>

#include <algorithm>

namespace mfa {

namespace {

std::optional<std::string> optional_text(const SQLite::Column& column)
{
  if (column.isNull()) {
    return std::nullopt;
  }
  return column.getString();
}

} // namespace

std::vector<AuditEntry> audit_log(Database& db, const AuditQuery& query)
{
  return detail::with_sql(db, [&](detail::DatabaseImpl& impl) {
    // Newest first to apply the limit, then reversed to read oldest first.
    std::string sql = "SELECT id, at, actor, action, target, old_value, new_value, reason FROM audit";
    if (query.user) {
      // The name as given and trimmed, as load_user() finds users.
      sql += " WHERE target_kind = 'user' AND target IN (?1, ?2)";
    }
    sql += " ORDER BY id DESC";
    if (query.limit) {
      sql += " LIMIT " + std::to_string(std::max(0, *query.limit));
    }
    SQLite::Statement statement(impl.sql(), sql);
    if (query.user) {
      statement.bind(1, *query.user);
      statement.bind(2, std::string(detail::trim_name(*query.user)));
    }
    std::vector<AuditEntry> entries;
    while (statement.executeStep()) {
      entries.push_back({statement.getColumn(0).getInt64(), statement.getColumn(1).getInt64(),
                         statement.getColumn(2).getString(), statement.getColumn(3).getString(),
                         statement.getColumn(4).getString(), optional_text(statement.getColumn(5)),
                         optional_text(statement.getColumn(6)), optional_text(statement.getColumn(7))});
    }
    std::reverse(entries.begin(), entries.end());
    return entries;
  });
}

bool audit_mentions_user(Database& db, const std::string& name)
{
  return detail::with_sql(db, [&](detail::DatabaseImpl& impl) {
    SQLite::Statement statement(impl.sql(), "SELECT 1 FROM audit WHERE target_kind = 'user' AND target IN (?1, ?2) LIMIT 1");
    statement.bind(1, name);
    statement.bind(2, std::string(detail::trim_name(name)));
    return statement.executeStep();
  });
}

} // namespace mfa
