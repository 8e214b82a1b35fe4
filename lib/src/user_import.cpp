// SPDX-License-Identifier: MIT
#include "audit_writer.hpp"
#include "csv.hpp"
#include "database_impl.hpp"
#include "text.hpp"

#include <mfa/user_import.hpp>
#include <mfa/users.hpp>

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <sqlite3.h>

#include <unordered_map>

namespace mfa {

namespace {

using Result = Outcome<ImportSummary>;

Result failure(Status status, std::size_t line, const std::string& reason)
{
  return Result::failure(status, "line " + std::to_string(line) + ": " + reason, {0, line});
}

bool blank(const detail::CsvRecord& record)
{
  return record.fields.size() == 1 && detail::trim(record.fields[0]).empty();
}

std::optional<std::string> header_problem(const detail::CsvRecord& header)
{
  const std::vector<std::string> expected = {"name", "type", "auth", "email"};
  if (header.fields.size() < 3 || header.fields.size() > 4) {
    return "the header must be name,type,auth or name,type,auth,email";
  }
  for (std::size_t i = 0; i < header.fields.size(); ++i) {
    if (detail::ascii_lower(detail::trim(header.fields[i])) != expected[i]) {
      return "the header must be name,type,auth or name,type,auth,email (found '" + header.fields[i] + "')";
    }
  }
  return std::nullopt;
}

} // namespace

Outcome<ImportSummary> import_users(Database& db, std::string_view csv, std::string_view actor)
{
  detail::CsvReader reader(csv);
  auto header = reader.next();
  while (header && blank(*header)) {
    header = reader.next();
  }
  if (!header) {
    return reader.error().empty() ? failure(Status::invalid, 1, "the file is empty; expected a header name,type,auth[,email]")
                                  : failure(Status::invalid, reader.error_line(), reader.error());
  }
  if (auto problem = header_problem(*header)) {
    return failure(Status::invalid, header->line, *problem);
  }
  const std::size_t columns = header->fields.size();

  return detail::with_sql(db, [&](detail::DatabaseImpl& impl) -> Result {
    auto& sql = impl.sql();
    SQLite::Transaction transaction(sql, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement insert(sql, "INSERT INTO users (name, type, auth, email, created_at) VALUES (?, ?, ?, ?, ?)");
    const std::int64_t now = impl.now();
    std::unordered_map<std::string, std::size_t> seen;
    ImportSummary summary;
    while (auto record = reader.next()) {
      if (blank(*record)) {
        continue;
      }
      const std::size_t line = record->line;
      auto& f = record->fields;
      if (f.size() != columns) {
        return failure(Status::invalid, line,
                       "expected " + std::to_string(columns) + " fields, found " + std::to_string(f.size()));
      }
      f[0] = std::string(detail::trim_name(f[0]));
      if (auto problem = user_name_problem(f[0])) {
        return failure(Status::invalid, line, *problem);
      }
      const auto type = parse_user_type(detail::trim(f[1]));
      if (!type) {
        return failure(Status::invalid, line, "type must be internal or external, not '" + f[1] + "'");
      }
      const auto auth = parse_auth_method(detail::trim(f[2]));
      if (!auth) {
        return failure(Status::invalid, line, "auth must be password or sso, not '" + f[2] + "'");
      }
      const std::string email = columns == 4 ? std::string(detail::trim(f[3])) : std::string();
      if (auto problem = email_problem(email)) {
        return failure(Status::invalid, line, *problem);
      }
      if (auto [it, fresh] = seen.emplace(f[0], line); !fresh) {
        return failure(Status::invalid, line,
                       "user '" + f[0] + "' appears twice (first on line " + std::to_string(it->second) + ")");
      }
      insert.bind(1, f[0]);
      insert.bind(2, to_string(*type));
      insert.bind(3, to_string(*auth));
      if (email.empty()) {
        insert.bind(4);
      } else {
        insert.bind(4, email);
      }
      insert.bind(5, static_cast<int64_t>(now));
      try {
        insert.exec();
      } catch (const SQLite::Exception& e) {
        if (e.getErrorCode() == SQLITE_CONSTRAINT) {
          return failure(Status::not_allowed, line, "user '" + f[0] + "' already exists");
        }
        throw;
      }
      insert.reset();
      detail::append_audit(impl, actor, "users.import", detail::AuditTarget::user, f[0], std::nullopt,
                           std::string(to_string(*type)) + ", " + to_string(*auth) + (email.empty() ? "" : ", " + email));
      ++summary.imported;
    }
    if (!reader.error().empty()) {
      return failure(Status::invalid, reader.error_line(), reader.error());
    }
    transaction.commit();
    return Result::success(summary);
  });
}

} // namespace mfa
