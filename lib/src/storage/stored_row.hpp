// SPDX-License-Identifier: MIT
#pragma once

// A stored row read strictly, whichever database it comes from: a column
// whose type or value mfa never writes (a flipped bit on disk bypasses an
// SQLite schema's CHECK constraints) is a StorageError naming the table,
// column and row, never a default that could weaken MFA. And the readers of
// each kind of row, shared by the SQLite and the PostgreSQL store.

#include "storage/store.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace mfa::detail {

// The columns of a result's current row, as the database gives them.
class Cells
{
public:
  enum class Type
  {
    null,
    integer,
    text,
    blob,
    other,
  };
  virtual Type type(int index) const = 0;
  // Each called only for a column of its type.
  virtual std::int64_t integer(int index) const = 0;
  virtual std::string text(int index) const = 0;
  virtual Bytes blob(int index) const = 0;

protected:
  ~Cells() = default;
};

class StoredRow
{
public:
  // `db_name` names the database in messages (when known).
  StoredRow(const Cells& cells, std::string table, std::string db_name = {})
    : m_cells(cells), m_table(std::move(table)), m_db_name(std::move(db_name))
  {
  }
  // It keeps a reference: never to a temporary that dies first.
  StoredRow(const Cells&& cells, std::string table, std::string db_name = {}) = delete;

  // Names the row in messages ("user 'alice'"), once it is known.
  void describe(std::string row) { m_row = std::move(row); }

  std::string text(int index, const char* column) const;
  std::int64_t integer(int index, const char* column) const;
  std::optional<std::string> optional_text(int index, const char* column) const;
  std::optional<std::int64_t> optional_integer(int index, const char* column) const;
  Bytes blob(int index, const char* column) const;
  // An integer from `min` to `max`.
  int integer_in(int index, const char* column, int min, int max) const;

  [[noreturn]] void damaged(const char* column, const std::string& problem = "holds a value mfa never writes") const;

private:
  void check(int index, const char* column, Cells::Type type) const;

  const Cells& m_cells;
  std::string m_table;
  std::string m_db_name;
  std::string m_row;
};

// Bulk writes put this many rows in one statement (far below SQLite's and
// PostgreSQL's bounds on parameters), each size's statement prepared once.
inline constexpr std::size_t k_rows_per_statement = 256;

// Calls `body(first, count)` for each run of at most k_rows_per_statement of `size` rows.
template<typename Body>
void for_each_chunk(std::size_t size, Body&& body)
{
  for (std::size_t first = 0; first < size; first += k_rows_per_statement) {
    body(first, std::min(k_rows_per_statement, size - first));
  }
}

// The columns read_user() expects, from users u joined to enrollments e;
// append a WHERE or ORDER BY clause.
inline constexpr const char* k_user_columns = R"sql(
  SELECT u.id, u.name, u.type, u.auth, u.email, u.failed_attempts, u.locked_until, u.created_at,
         e.state, u.last_login_at, u.last_failure_at
  FROM users u )sql";
inline constexpr const char* k_join_enrollment = " LEFT JOIN enrollments e ON e.user_id = u.id ";

// The user on a row of k_user_columns.
User read_user(const Cells& cells, const std::string& db_name);
// SELECT state, secret, algorithm, digits, period, last_step FROM enrollments
// of the user `user_id`.
EnrollmentRow read_enrollment(const Cells& cells, const std::string& db_name, std::int64_t user_id);
// SELECT key, value FROM options
OptionRow read_option(const Cells& cells, const std::string& db_name);
// SELECT id, iterations, salt, hash, used_at FROM backup_codes
BackupCodeRow read_backup_code(const Cells& cells, const std::string& db_name);
// SELECT id, at, actor, action, target, old_value, new_value, reason FROM audit
AuditEntry read_audit_entry(const Cells& cells, const std::string& db_name);

// Schema step 2 -> 3 (both stores): each user's last login and last failure,
// filled from the audit log where it has them.
inline constexpr const char* k_fill_last_login_and_failure = R"sql(
    UPDATE users SET
      last_login_at = (SELECT max(at) FROM audit WHERE target_kind = 'user' AND target = users.name
                       AND ((action = 'verify' AND new_value LIKE 'accepted%')
                            OR (action = 'enroll.confirm' AND new_value = 'active'))),
      last_failure_at = (SELECT max(at) FROM audit WHERE target_kind = 'user' AND target = users.name
                         AND ((action = 'verify' AND new_value LIKE 'rejected%')
                              OR (action = 'enroll.confirm' AND reason IN ('wrong code', 'malformed code'))));
)sql";


// A table's columns as db copy moves them (the first is the order's key).
struct CopyColumns
{
  const char* table;
  const char* columns; // "a, b, c"
  int count;
};
const CopyColumns& copy_columns(CopyTable table);
// "SELECT columns FROM table [WHERE first > PARAM] ORDER BY first LIMIT PARAM",
// with `param(1)`, `param(2)` the parameters' spellings.
template<typename Param>
std::string copy_select_sql(const CopyColumns& columns, bool after, Param param)
{
  const std::string cols = columns.columns;
  const std::string first = cols.substr(0, cols.find(','));
  return "SELECT " + cols + " FROM " + columns.table + (after ? " WHERE " + first + " > " + param(1) : std::string())
         + " ORDER BY " + first + " LIMIT " + param(after ? 2 : 1);
}
// "INSERT INTO table (columns) VALUES (PARAM, ...)".
template<typename Param>
std::string copy_insert_sql(const CopyColumns& columns, Param param)
{
  std::string sql = std::string("INSERT INTO ") + columns.table + " (" + columns.columns + ") VALUES (";
  for (int i = 1; i <= columns.count; ++i) {
    sql += (i == 1 ? "" : ", ") + param(i);
  }
  return sql + ")";
}
// The current row's first `count` cells, as stored.
StoredValues stored_values(const Cells& cells, int count);

// What the audit log's target_kind column holds for each kind of target.
const char* audit_kind_text(AuditTarget kind);

// "database NAME is damaged: its index of user names misses user 'USER'".
StorageError index_misses(const std::string& db_name, std::string_view name);

} // namespace mfa::detail
