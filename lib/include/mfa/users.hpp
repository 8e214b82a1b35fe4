// SPDX-License-Identifier: MIT
#pragma once

#include <mfa/export.hpp>
#include <mfa/outcome.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mfa {

class Database;

enum class UserType
{
  internal, // users of the main application
  external, // portal users, hotline agents, other external parties
};

enum class AuthMethod
{
  password,
  sso, // single sign-on: never uses MFA
};

enum class EnrollmentState
{
  none,
  pending, // a secret was made, the first code not yet confirmed
  active,
};

struct User
{
  std::int64_t id = 0;
  std::string name;
  UserType type = UserType::internal;
  AuthMethod auth = AuthMethod::password;
  std::optional<std::string> email;
  EnrollmentState enrollment = EnrollmentState::none;
  int failed_attempts = 0;
  std::optional<std::int64_t> locked_until; // Unix time; may lie in the past
  std::int64_t created_at = 0;
  std::optional<std::int64_t> last_login_at;   // Unix time of the last code accepted (verify, enroll --confirm)
  std::optional<std::int64_t> last_failure_at; // Unix time of the last code rejected (counted as a failure)
};

// The five functions below throw nothing.
MFA_API const char* to_string(UserType type);
MFA_API const char* to_string(AuthMethod auth);
MFA_API const char* to_string(EnrollmentState state);
MFA_API std::optional<UserType> parse_user_type(std::string_view text);   // internal|external, any case
MFA_API std::optional<AuthMethod> parse_auth_method(std::string_view text); // password|sso, any case

// Why a user name is not acceptable (1 to 256 characters of printable UTF-8,
// no control characters), or nothing when it is.
// Throws nothing.
MFA_API std::optional<std::string> user_name_problem(std::string_view name);
// Why an e-mail address is not acceptable, or nothing when it is. An empty
// address means none.
// Throws nothing.
MFA_API std::optional<std::string> email_problem(std::string_view email);

struct NewUser
{
  std::string name;
  UserType type = UserType::internal;
  AuthMethod auth = AuthMethod::password;
  std::optional<std::string> email;
};

// Adds a user (audited). invalid: bad name or e-mail; not_allowed: exists.
// Throws StorageError when the database cannot be written.
MFA_API Outcome<User> add_user(Database& db, const NewUser& user, std::string_view actor);

struct UserChanges
{
  std::optional<UserType> type;
  std::optional<AuthMethod> auth;
  std::optional<std::string> email; // empty: remove the address
};

// Changes a user's class, sign-in method or e-mail (one audit row a field
// that changed). An enrollment is kept when a user moves to SSO, and used
// again if the user moves back to a password.
// Throws StorageError when the database cannot be written.
MFA_API Outcome<User> update_user(Database& db, std::string_view name, const UserChanges& changes,
                                  std::string_view actor);

// Users whose name or e-mail contains `search` (ASCII case ignored), by name.
// Throws StorageError when the database cannot be read.
MFA_API std::vector<User> list_users(Database& db, std::string_view search = {});

// Which users list_users() returns: every filter given must hold (AND).
struct UserFilter
{
  std::string search;                        // name or e-mail contains it (ASCII case ignored, % and _ literal)
  bool locked = false;                       // only users locked out now
  std::optional<EnrollmentState> enrollment;
  std::optional<UserType> type;
  std::optional<AuthMethod> auth;
};

// Throws StorageError when the database cannot be read.
MFA_API std::vector<User> list_users(Database& db, const UserFilter& filter);

// Throws nothing.
MFA_API std::optional<EnrollmentState> parse_enrollment_state(std::string_view text); // none|pending|active

// Throws StorageError when the database cannot be read.
MFA_API Outcome<User> find_user(Database& db, std::string_view name);

// Removes a user with the enrollment and backup codes (audited).
// Throws StorageError when the database cannot be written.
MFA_API Outcome<User> remove_user(Database& db, std::string_view name, std::string_view actor);

// The names of every user, sorted, for shell completion: reads only.
// Throws StorageError when the database cannot be read.
MFA_API std::vector<std::string> user_names(Database& db);

} // namespace mfa
