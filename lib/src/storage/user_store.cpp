// SPDX-License-Identifier: MIT
#include "storage/user_store.hpp"

#include "storage/database_impl.hpp"
#include "util/text.hpp"

#include <SQLiteCpp/Statement.h>

namespace mfa::detail {

std::optional<User> load_user(DatabaseImpl& db, std::string_view name, IndexCheck check)
{
  // The trimmed name is the one every path stores; the name as given still
  // finds a user stored with spaces around it before names were trimmed.
  // Through the UNIQUE constraint's index, always: a miss is then checked
  // in the other one (below).
  static const std::string k_sql = k_select_users_by_name_index
                                   + "WHERE u.name IN (?1, ?2) ORDER BY u.name = ?1 DESC LIMIT 1";
  auto lease = db.statement(k_sql);
  auto& query = *lease;
  query.bind(1, std::string(name));
  query.bind(2, std::string(trim_name(name)));
  if (!query.executeStep()) {
    if (check == IndexCheck::trust) {
      return std::nullopt;
    }
    // The index of names says there is no such user. A damaged index must
    // not make a user unknown (a login that then skips MFA): ask the second
    // index of names, a b-tree of its own, and this one again. Asking the
    // table itself would read all of it at every unknown name.
    auto check_both = db.statement(
      "SELECT (SELECT count(*) FROM users INDEXED BY sqlite_autoindex_users_1 WHERE name IN (?1, ?2))"
      " + (SELECT count(*) FROM users INDEXED BY users_by_name_check WHERE name IN (?1, ?2))");
    check_both->bind(1, std::string(name));
    check_both->bind(2, std::string(trim_name(name)));
    if (check_both->executeStep() && check_both->getColumn(0).getInt64() != 0) {
      throw index_misses(db.paths().database, name);
    }
    return std::nullopt;
  }
  User user = read_user(SqliteCells(query), db.paths().database);
  // SQLite takes the name from the index: check that the row found is the
  // user's own, so that a damaged index never passes another user's row
  // (and secret) off as this user's. A lookup by id uses no index of names.
  auto row = db.statement("SELECT name FROM users WHERE id = ?");
  row->bind(1, static_cast<int64_t>(user.id));
  const bool asked = user.name == name || user.name == trim_name(name);
  if (!asked || !row->executeStep() || row->getColumn(0).getString() != user.name) {
    throw StorageError("database " + db.paths().database + " is damaged: its index of user names gives another "
                       "row for user '" + std::string(name) + "'; restore it from a backup");
  }
  return user;
}

std::optional<EnrollmentRow> load_enrollment(DatabaseImpl& db, std::int64_t user_id)
{
  auto lease = db.statement("SELECT state, secret, algorithm, digits, period, last_step FROM enrollments WHERE user_id = ?");
  auto& query = *lease;
  query.bind(1, static_cast<int64_t>(user_id));
  if (!query.executeStep()) {
    return std::nullopt;
  }
  return read_enrollment(SqliteCells(query), db.paths().database, user_id);
}

} // namespace mfa::detail
