// SPDX-License-Identifier: MIT
// mfa db copy: a whole database into an empty one (SQLite or PostgreSQL,
// either way), checked row by row before it commits.
#include "core/rules.hpp"
#include "crypto/crypto.hpp"
#include "storage/store.hpp"

#include <mfa/database.hpp>
#include <mfa/error.hpp>

namespace mfa {

namespace {

// Rows moved per read: a bound on memory, whatever the size of the database.
constexpr std::size_t k_copy_page = 1000;

const char* table_name(detail::CopyTable table)
{
  switch (table) {
  case detail::CopyTable::options:
    return "options";
  case detail::CopyTable::users:
    return "users";
  case detail::CopyTable::enrollments:
    return "enrollments";
  case detail::CopyTable::backup_codes:
    return "backup_codes";
  case detail::CopyTable::audit:
    break;
  }
  return "audit";
}

std::int64_t& count_of(CopyCounts& counts, detail::CopyTable table)
{
  switch (table) {
  case detail::CopyTable::options:
    return counts.options;
  case detail::CopyTable::users:
    return counts.users;
  case detail::CopyTable::enrollments:
    return counts.enrollments;
  case detail::CopyTable::backup_codes:
    return counts.backup_codes;
  case detail::CopyTable::audit:
    break;
  }
  return counts.audit;
}

// Calls `body(rows)` for each page of `table` in `store`, in key order.
template<typename Body>
void for_each_page(detail::Store& store, detail::CopyTable table, Body&& body)
{
  std::optional<detail::StoredValue> after;
  for (;;) {
    auto rows = store.table_rows(table, after, k_copy_page);
    body(rows);
    if (rows.size() < k_copy_page) {
      return;
    }
    after = rows.back().front();
  }
}

std::string plural(std::int64_t count, const char* one, const char* many)
{
  return std::to_string(count) + " " + (count == 1 ? one : many);
}

} // namespace

Outcome<CopyCounts> copy_database(Database& from, Database& to, std::string_view actor)
{
  return detail::with_store(from, [&](detail::Store& source) {
    return detail::with_store(to, [&](detail::Store& target) -> Outcome<CopyCounts> {
      // The sealed secrets open only under the key they were sealed with.
      if (!detail::equal_constant_time(detail::key_check(source.key_file_key()),
                                       detail::key_check(target.key_file_key()))) {
        throw KeyError("database " + target.name() + " has another key than " + source.name()
                       + "; a copy needs the same key file");
      }
      auto reading = source.read();
      auto writing = target.write();
      if (target.has_users() || !target.option_rows().empty()
          || !target.table_rows(detail::CopyTable::audit, std::nullopt, 1).empty()) {
        return Outcome<CopyCounts>::failure(Status::not_allowed,
                                            "database " + target.name()
                                              + " is not empty; mfa db copy copies only into an empty database");
      }
      CopyCounts counts;
      for (const auto table : detail::k_copy_tables) {
        for_each_page(source, table, [&](const std::vector<detail::StoredValues>& rows) {
          target.insert_rows(table, rows);
          count_of(counts, table) += static_cast<std::int64_t>(rows.size());
        });
      }
      target.ids_follow_rows();
      // The secrets stay sealed under the source's data key: the copy takes
      // that key, wrapped under its own key file (the same one).
      target.save_data_key(target.key_file_key(), source.current_data_key());
      // The check: every row read back from the copy, page by page, equals
      // the source's (as this transaction sees the copy, before it commits).
      for (const auto table : detail::k_copy_tables) {
        std::optional<detail::StoredValue> after;
        for (;;) {
          const auto expected = source.table_rows(table, after, k_copy_page);
          const auto copied = target.table_rows(table, after, k_copy_page);
          if (copied != expected) {
            throw StorageError("the copy in " + target.name() + " differs from " + source.name() + " in table "
                               + table_name(table) + "; nothing was copied");
          }
          if (expected.size() < k_copy_page) {
            break;
          }
          after = expected.back().front();
        }
      }
      detail::audit(target, actor, "db.copy", detail::AuditTarget::log, "database", std::nullopt,
                    "copied from " + source.name(),
                    plural(counts.users, "user", "users") + ", " + plural(counts.enrollments, "enrollment", "enrollments")
                      + ", " + plural(counts.backup_codes, "backup code", "backup codes") + ", "
                      + plural(counts.options, "option", "options") + ", "
                      + plural(counts.audit, "audit row", "audit rows"));
      writing.commit();
      target.adopt_keys({target.key_file_key(), source.data_key(), {}});
      return Outcome<CopyCounts>::success(counts);
    });
  });
}

} // namespace mfa
