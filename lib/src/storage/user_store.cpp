// SPDX-License-Identifier: MIT
#include "storage/user_store.hpp"

#include "storage/database_impl.hpp"
#include "util/text.hpp"

#include <mfa/policy.hpp>

#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <limits>

namespace mfa::detail {

namespace {

// An enrollment's state as stored: "pending" or "active", nothing else.
EnrollmentState parse_stored_state(const StoredRow& row, const std::string& state)
{
  if (state == "active") {
    return EnrollmentState::active;
  }
  if (state != "pending") {
    row.damaged("state");
  }
  return EnrollmentState::pending;
}

} // namespace

User read_user(SQLite::Statement& query, const std::string& db_path)
{
  StoredRow row(query, "users", db_path);
  User user;
  user.id = row.integer(0, "id");
  user.name = row.text(1, "name");
  row.describe("user '" + user.name + "'");
  const std::string type = row.text(2, "type");
  if (type != "internal" && type != "external") {
    row.damaged("type");
  }
  user.type = type == "external" ? UserType::external : UserType::internal;
  const std::string auth = row.text(3, "auth");
  if (auth != "password" && auth != "sso") {
    row.damaged("auth");
  }
  user.auth = auth == "sso" ? AuthMethod::sso : AuthMethod::password;
  user.email = row.optional_text(4, "email");
  user.failed_attempts = row.integer_in(5, "failed_attempts", 0, std::numeric_limits<int>::max());
  user.locked_until = row.optional_integer(6, "locked_until");
  user.created_at = row.integer(7, "created_at");
  user.last_login_at = row.optional_integer(9, "last_login_at");
  user.last_failure_at = row.optional_integer(10, "last_failure_at");
  // NULL: the user has no enrollment row.
  StoredRow enrollment(query, "enrollments", db_path);
  enrollment.describe("user '" + user.name + "'");
  const auto state = enrollment.optional_text(8, "state");
  user.enrollment = !state ? EnrollmentState::none : parse_stored_state(enrollment, *state);
  return user;
}

StorageError index_misses(const std::string& db_path, std::string_view name)
{
  return StorageError("database " + db_path + " is damaged: its index of user names misses user '"
                      + std::string(name) + "'; restore it from a backup");
}

std::optional<User> load_user(DatabaseImpl& db, std::string_view name, IndexCheck check)
{
  // The trimmed name is the one every path stores; the name as given still
  // finds a user stored with spaces around it before names were trimmed.
  // Through the UNIQUE constraint's index, always: a miss is then checked
  // in the other one (below).
  static const std::string k_sql = std::string(k_select_users_by_name_index)
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
  User user = read_user(query, db.paths().database);
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
  StoredRow stored(query, "enrollments", db.paths().database);
  stored.describe("user id " + std::to_string(user_id));
  EnrollmentRow row;
  row.state = parse_stored_state(stored, stored.text(0, "state"));
  row.sealed_secret = stored.blob(1, "secret");
  const std::string algorithm = stored.text(2, "algorithm");
  const auto parsed = parse_algorithm(algorithm);
  if (!parsed || algorithm != to_string(*parsed)) {
    stored.damaged("algorithm");
  }
  row.params.algorithm = *parsed;
  row.params.digits = stored.integer_in(3, "digits", 6, 8);
  if (row.params.digits == 7) {
    stored.damaged("digits");
  }
  row.params.period = stored.integer_in(4, "period", 15, 300);
  row.last_step = stored.optional_integer(5, "last_step");
  return row;
}

} // namespace mfa::detail
