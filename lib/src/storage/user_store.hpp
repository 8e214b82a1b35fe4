// SPDX-License-Identifier: MIT
#pragma once

// SQLite reads of users and enrollments, for the SQLite store.

#include "storage/store.hpp"
#include "storage/stored_row.hpp"

#include <mfa/users.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace mfa::detail {

class DatabaseImpl;

// k_user_columns (storage/stored_row.hpp) joined to the enrollments.
inline const std::string k_select_users = std::string(k_user_columns) + k_join_enrollment;
// The same, through the UNIQUE constraint's index of names (its name,
// sqlite_autoindex_users_1, holds while users keeps name as its first
// UNIQUE column: a rebuild of the table must keep it so).
inline const std::string k_select_users_by_name_index =
  std::string(k_user_columns) + " INDEXED BY sqlite_autoindex_users_1 " + k_join_enrollment;

// Reads one user with the state of the enrollment, by name: exactly as given
// if there is one, else without the spaces around it. A name the index does
// not know is looked for in the second index of names too, unless
// IndexCheck::trust.
std::optional<User> load_user(DatabaseImpl& db, std::string_view name,
                              IndexCheck check = IndexCheck::verify_misses);

std::optional<EnrollmentRow> load_enrollment(DatabaseImpl& db, std::int64_t user_id);

} // namespace mfa::detail
