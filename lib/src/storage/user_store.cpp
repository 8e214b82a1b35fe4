// SPDX-License-Identifier: MIT
#include "storage/user_store.hpp"

#include "storage/database_impl.hpp"
#include "util/text.hpp"

#include <mfa/policy.hpp>

#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <limits>

namespace mfa::detail {

std::string describe_user(UserType type, AuthMethod auth, const std::optional<std::string>& email)
{
  return std::string(to_string(type)) + ", " + to_string(auth) + (email ? ", " + *email : std::string());
}

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

std::optional<User> load_user(DatabaseImpl& db, std::string_view name, IndexCheck check)
{
  // The trimmed name is the one every path stores; the name as given still
  // finds a user stored with spaces around it before names were trimmed.
  static const std::string k_sql = std::string(k_select_users) + "WHERE u.name IN (?1, ?2) ORDER BY u.name = ?1 DESC LIMIT 1";
  auto lease = db.statement(k_sql);
  auto& query = *lease;
  query.bind(1, std::string(name));
  query.bind(2, std::string(trim_name(name)));
  if (!query.executeStep()) {
    if (check == IndexCheck::trust) {
      return std::nullopt;
    }
    // The name's index says there is no such user. A damaged index must
    // not make a user unknown (a login that then skips MFA): ask the table.
    auto scan = db.statement("SELECT count(*) FROM users NOT INDEXED WHERE name IN (?1, ?2)");
    scan->bind(1, std::string(name));
    scan->bind(2, std::string(trim_name(name)));
    if (scan->executeStep() && scan->getColumn(0).getInt64() != 0) {
      throw StorageError("database " + db.paths().database + " is damaged: its index of user names misses user '"
                         + std::string(name) + "'; restore it from a backup");
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

std::string no_such_user_message(std::string_view name)
{
  return "no such user: " + std::string(name);
}

namespace {

const char* class_option_name(UserType type)
{
  return type == UserType::external ? "externalMFA" : "internalMFA";
}

} // namespace

std::optional<std::string> mfa_unavailable(const Settings& settings, const User& user)
{
  if (user.auth == AuthMethod::sso) {
    return "user '" + user.name + "' signs in with SSO and never uses MFA";
  }
  if (class_mode(settings, user.type) == Mode::off) {
    return std::string("MFA is Off for ") + to_string(user.type) + " users; turn " + class_option_name(user.type)
           + " on first";
  }
  return std::nullopt;
}

bool is_locked(const User& user, std::int64_t now)
{
  return user.locked_until && *user.locked_until > now;
}

std::string lock_text(std::int64_t locked_until)
{
  if (locked_until >= k_locked_until_unlock) {
    return "locked out until an admin runs mfa unlock";
  }
  return "locked out until " + format_rfc3339(locked_until);
}

namespace {

// The end of the lock that the failure-th failure in a row sets, if any.
std::optional<std::int64_t> lock_end(int failures, int max_failed_attempts, int lockout_minutes, std::int64_t now)
{
  if (max_failed_attempts <= 0) {
    return std::nullopt; // 0: never lock
  }
  if (failures >= k_failures_until_unlock) {
    return k_locked_until_unlock;
  }
  if (failures % max_failed_attempts != 0) {
    return std::nullopt;
  }
  // The n-th lock lasts 2^(n-1) times the first; far enough ahead it is the
  // lock until unlock (no overflow: at most 2^40 * 1440 minutes).
  const int doublings = std::min(failures / max_failed_attempts - 1, 40);
  const std::int64_t seconds = (std::int64_t{lockout_minutes} * 60) << doublings;
  return std::min(now + seconds, k_locked_until_unlock);
}

} // namespace

std::optional<std::int64_t> record_failure(DatabaseImpl& db, const User& user, const Settings& settings,
                                           std::int64_t now)
{
  // Read the count inside the transaction: other processes count too.
  auto read = db.statement("SELECT failed_attempts FROM users WHERE id = ?");
  read->bind(1, static_cast<int64_t>(user.id));
  const int failures = (read->executeStep() ? read->getColumn(0).getInt() : 0) + 1;
  const auto until = lock_end(failures, settings.max_failed_attempts, settings.lockout_minutes, now);
  auto update = db.statement("UPDATE users SET failed_attempts = ?1, locked_until = coalesce(?2, locked_until), "
                             "last_failure_at = ?4 WHERE id = ?3");
  update->bind(1, failures);
  if (until) {
    update->bind(2, static_cast<int64_t>(*until));
  }
  update->bind(3, static_cast<int64_t>(user.id));
  update->bind(4, static_cast<int64_t>(now));
  update->exec();
  return until;
}

void clear_failures(DatabaseImpl& db, const User& user)
{
  auto clear = db.statement("UPDATE users SET failed_attempts = 0, last_login_at = ?2 WHERE id = ?1");
  clear->bind(1, static_cast<int64_t>(user.id));
  clear->bind(2, static_cast<int64_t>(db.now()));
  clear->exec();
}

} // namespace mfa::detail
