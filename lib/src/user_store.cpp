// SPDX-License-Identifier: MIT
#include "user_store.hpp"

#include "database_impl.hpp"
#include "text.hpp"

#include <mfa/policy.hpp>

#include <SQLiteCpp/Statement.h>

#include <algorithm>

namespace mfa::detail {

User read_user(SQLite::Statement& query)
{
  User user;
  user.id = query.getColumn(0).getInt64();
  user.name = query.getColumn(1).getString();
  user.type = query.getColumn(2).getString() == "external" ? UserType::external : UserType::internal;
  user.auth = query.getColumn(3).getString() == "sso" ? AuthMethod::sso : AuthMethod::password;
  if (!query.getColumn(4).isNull()) {
    user.email = query.getColumn(4).getString();
  }
  user.failed_attempts = query.getColumn(5).getInt();
  if (!query.getColumn(6).isNull()) {
    user.locked_until = query.getColumn(6).getInt64();
  }
  user.created_at = query.getColumn(7).getInt64();
  const std::string state = query.getColumn(8).getString();
  user.enrollment = state == "active"    ? EnrollmentState::active
                    : state == "pending" ? EnrollmentState::pending
                                         : EnrollmentState::none;
  return user;
}

std::optional<User> load_user(DatabaseImpl& db, std::string_view name)
{
  // The trimmed name is the one every path stores; the name as given still
  // finds a user stored with spaces around it before names were trimmed.
  static const std::string k_sql = std::string(k_select_users) + "WHERE u.name IN (?1, ?2) ORDER BY u.name = ?1 DESC LIMIT 1";
  auto lease = db.statement(k_sql);
  auto& query = *lease;
  query.bind(1, std::string(name));
  query.bind(2, std::string(trim_name(name)));
  if (!query.executeStep()) {
    return std::nullopt;
  }
  return read_user(query);
}

std::optional<EnrollmentRow> load_enrollment(DatabaseImpl& db, std::int64_t user_id)
{
  auto lease = db.statement("SELECT state, secret, algorithm, digits, period, last_step FROM enrollments WHERE user_id = ?");
  auto& query = *lease;
  query.bind(1, static_cast<int64_t>(user_id));
  if (!query.executeStep()) {
    return std::nullopt;
  }
  EnrollmentRow row;
  row.state = query.getColumn(0).getString() == "active" ? EnrollmentState::active : EnrollmentState::pending;
  const auto secret = query.getColumn(1);
  const auto* data = static_cast<const std::uint8_t*>(secret.getBlob());
  row.sealed_secret.assign(data, data + secret.getBytes());
  const auto algorithm = parse_algorithm(query.getColumn(2).getString());
  if (!algorithm) {
    throw StorageError("database " + db.paths().database + " holds an enrollment with an unknown algorithm");
  }
  row.params.algorithm = *algorithm;
  row.params.digits = query.getColumn(3).getInt();
  row.params.period = query.getColumn(4).getInt();
  if (!query.getColumn(5).isNull()) {
    row.last_step = query.getColumn(5).getInt64();
  }
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
  auto update = db.statement("UPDATE users SET failed_attempts = ?1, locked_until = coalesce(?2, locked_until) "
                             "WHERE id = ?3");
  update->bind(1, failures);
  if (until) {
    update->bind(2, static_cast<int64_t>(*until));
  }
  update->bind(3, static_cast<int64_t>(user.id));
  update->exec();
  return until;
}

void clear_failures(DatabaseImpl& db, const User& user)
{
  if (user.failed_attempts == 0) {
    return; // read in the same transaction: nothing to clear
  }
  auto clear = db.statement("UPDATE users SET failed_attempts = 0 WHERE id = ?");
  clear->bind(1, static_cast<int64_t>(user.id));
  clear->exec();
}

} // namespace mfa::detail
