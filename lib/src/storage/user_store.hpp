// SPDX-License-Identifier: MIT
#pragma once

#include "crypto/crypto.hpp"

#include <mfa/options.hpp>
#include <mfa/totp.hpp>
#include <mfa/users.hpp>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <optional>
#include <string>
#include <string_view>

namespace mfa::detail {

class DatabaseImpl;

// The columns read_user() expects, from users u joined to enrollments e;
// append a WHERE or ORDER BY clause.
inline constexpr const char* k_select_users = R"sql(
  SELECT u.id, u.name, u.type, u.auth, u.email, u.failed_attempts, u.locked_until, u.created_at,
         e.state, u.last_login_at, u.last_failure_at
  FROM users u LEFT JOIN enrollments e ON e.user_id = u.id )sql";

// "internal, password, a@example.com": a user's fields as the audit log shows them.
std::string describe_user(UserType type, AuthMethod auth, const std::optional<std::string>& email);

// The user on the current row of a k_select_users query. Throws
// StorageError (naming `db_path`) when a stored value is not one mfa writes.
User read_user(SQLite::Statement& query, const std::string& db_path = {});

// Reads one user with the state of the enrollment, by name: exactly as given
// if there is one, else without the spaces around it.
//
// A name the index does not know is looked for in the table too (a damaged
// index must not make a user unknown, which a login could read as "no MFA"):
// a full scan. A bulk caller that writes every name it misses (import: the
// unique index refuses a duplicate anyway) passes IndexCheck::trust.
enum class IndexCheck
{
  verify_misses,
  trust,
};
std::optional<User> load_user(DatabaseImpl& db, std::string_view name,
                              IndexCheck check = IndexCheck::verify_misses);

struct EnrollmentRow
{
  EnrollmentState state = EnrollmentState::none;
  Bytes sealed_secret;
  TotpParams params;
  std::optional<std::int64_t> last_step;
};

std::optional<EnrollmentRow> load_enrollment(DatabaseImpl& db, std::int64_t user_id);

// The outcome for a name that matches no user.
std::string no_such_user_message(std::string_view name);

// Why a user never uses MFA now (signs in with SSO, or MFA is Off for the
// user's class), or nothing.
std::optional<std::string> mfa_unavailable(const Settings& settings, const User& user);

// Whether the lock is in force at `now`.
bool is_locked(const User& user, std::int64_t now);


// A lock that only `mfa unlock` (or reset) lifts: the last second of 9999.
inline constexpr std::int64_t k_locked_until_unlock = 253402300799;
// Failures in a row after which the lock stays until unlock (NIST SP 800-63B's ceiling).
inline constexpr int k_failures_until_unlock = 100;

// "locked out until 2026-12-01T10:00:00Z", or "locked out until an admin
// runs mfa unlock" for the lock that does not end.
std::string lock_text(std::int64_t locked_until);

// Counts one failed attempt in the current transaction. Failures count in a
// row across locks, until a success or an unlock: every
// max_failed_attempts-th one locks the user, each lock twice as long as the
// one before (lockout_minutes the first time), and the
// k_failures_until_unlock-th locks until unlock. Returns the lock end when
// this failure locked the user. Notes `now` as the user's last failure.
std::optional<std::int64_t> record_failure(DatabaseImpl& db, const User& user, const Settings& settings,
                                           std::int64_t now);

// Clears the failure count after a success (a code accepted by verify or by
// enroll --confirm), and notes the database clock's now as the last login.
void clear_failures(DatabaseImpl& db, const User& user);

} // namespace mfa::detail
