// SPDX-License-Identifier: MIT
#pragma once

// SQLite reads of users and enrollments, for the SQLite store.

#include "storage/store.hpp"

#include <mfa/users.hpp>

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
// The same, through the UNIQUE constraint's index of names (its name,
// sqlite_autoindex_users_1, holds while users keeps name as its first
// UNIQUE column: a rebuild of the table must keep it so).
inline constexpr const char* k_select_users_by_name_index = R"sql(
  SELECT u.id, u.name, u.type, u.auth, u.email, u.failed_attempts, u.locked_until, u.created_at,
         e.state, u.last_login_at, u.last_failure_at
  FROM users u INDEXED BY sqlite_autoindex_users_1 LEFT JOIN enrollments e ON e.user_id = u.id )sql";

// The user on the current row of a k_select_users query. Throws
// StorageError (naming `db_path`) when a stored value is not one mfa writes.
User read_user(SQLite::Statement& query, const std::string& db_path = {});

// Reads one user with the state of the enrollment, by name: exactly as given
// if there is one, else without the spaces around it. A name the index does
// not know is looked for in the second index of names too, unless
// IndexCheck::trust.
// "database PATH is damaged: its index of user names misses user 'NAME'".
StorageError index_misses(const std::string& db_path, std::string_view name);

std::optional<User> load_user(DatabaseImpl& db, std::string_view name,
                              IndexCheck check = IndexCheck::verify_misses);

std::optional<EnrollmentRow> load_enrollment(DatabaseImpl& db, std::int64_t user_id);

} // namespace mfa::detail
