// SPDX-License-Identifier: MIT
#include "storage/stored_row.hpp"

#include <mfa/error.hpp>
#include <mfa/policy.hpp>

#include <limits>

namespace mfa::detail {

void StoredRow::check(int index, const char* column, Cells::Type type) const
{
  const Cells::Type found = m_cells.type(index);
  if (found != type) {
    damaged(column, found == Cells::Type::null ? "is empty" : "holds a value of the wrong type");
  }
}

std::string StoredRow::text(int index, const char* column) const
{
  check(index, column, Cells::Type::text);
  return m_cells.text(index);
}

std::int64_t StoredRow::integer(int index, const char* column) const
{
  check(index, column, Cells::Type::integer);
  return m_cells.integer(index);
}

std::optional<std::string> StoredRow::optional_text(int index, const char* column) const
{
  if (m_cells.type(index) == Cells::Type::null) {
    return std::nullopt;
  }
  return text(index, column);
}

std::optional<std::int64_t> StoredRow::optional_integer(int index, const char* column) const
{
  if (m_cells.type(index) == Cells::Type::null) {
    return std::nullopt;
  }
  return integer(index, column);
}

Bytes StoredRow::blob(int index, const char* column) const
{
  check(index, column, Cells::Type::blob);
  return m_cells.blob(index);
}

int StoredRow::integer_in(int index, const char* column, int min, int max) const
{
  const std::int64_t value = integer(index, column);
  if (value < min || value > max) {
    damaged(column, "holds " + std::to_string(value) + ", outside " + std::to_string(min) + " to "
                      + std::to_string(max));
  }
  return static_cast<int>(value);
}

void StoredRow::damaged(const char* column, const std::string& problem) const
{
  std::string message = "database " + (m_db_name.empty() ? "" : m_db_name + " ") + "is damaged: " + m_table + "."
                        + column;
  if (!m_row.empty()) {
    message += " of " + m_row;
  }
  throw StorageError(message + " " + problem + "; restore it from a backup");
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

User read_user(const Cells& cells, const std::string& db_name)
{
  StoredRow row(cells, "users", db_name);
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
  StoredRow enrollment(cells, "enrollments", db_name);
  enrollment.describe("user '" + user.name + "'");
  const auto state = enrollment.optional_text(8, "state");
  user.enrollment = !state ? EnrollmentState::none : parse_stored_state(enrollment, *state);
  return user;
}

EnrollmentRow read_enrollment(const Cells& cells, const std::string& db_name, std::int64_t user_id)
{
  StoredRow stored(cells, "enrollments", db_name);
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

OptionRow read_option(const Cells& cells, const std::string& db_name)
{
  StoredRow row(cells, "options", db_name);
  OptionRow option;
  option.key = row.text(0, "key");
  row.describe("option " + option.key);
  option.value = row.text(1, "value");
  return option;
}

BackupCodeRow read_backup_code(const Cells& cells, const std::string& db_name)
{
  StoredRow stored(cells, "backup_codes", db_name);
  BackupCodeRow row;
  row.id = stored.integer(0, "id");
  stored.describe("backup code " + std::to_string(row.id));
  row.stored.iterations = stored.integer_in(1, "iterations", 1, 100'000'000);
  row.stored.salt = stored.blob(2, "salt");
  row.stored.hash = stored.blob(3, "hash");
  row.used = stored.optional_integer(4, "used_at").has_value();
  return row;
}

AuditEntry read_audit_entry(const Cells& cells, const std::string& db_name)
{
  StoredRow row(cells, "audit", db_name);
  AuditEntry entry;
  entry.id = row.integer(0, "id");
  row.describe("entry " + std::to_string(entry.id));
  entry.at = row.integer(1, "at");
  entry.actor = row.text(2, "actor");
  entry.action = row.text(3, "action");
  entry.target = row.text(4, "target");
  entry.old_value = row.optional_text(5, "old_value");
  entry.new_value = row.optional_text(6, "new_value");
  entry.reason = row.optional_text(7, "reason");
  return entry;
}

const CopyColumns& copy_columns(CopyTable table)
{
  static const CopyColumns k_options{"options", "key, value", 2};
  static const CopyColumns k_users{"users",
                                   "id, name, type, auth, email, failed_attempts, locked_until, created_at, "
                                   "last_login_at, last_failure_at",
                                   10};
  static const CopyColumns k_enrollments{
    "enrollments", "user_id, state, secret, algorithm, digits, period, last_step, created_at, activated_at", 9};
  static const CopyColumns k_backup_codes{"backup_codes", "id, user_id, iterations, salt, hash, used_at", 6};
  static const CopyColumns k_audit{"audit", "id, at, actor, action, target_kind, target, old_value, new_value, reason",
                                   9};
  switch (table) {
  case CopyTable::options:
    return k_options;
  case CopyTable::users:
    return k_users;
  case CopyTable::enrollments:
    return k_enrollments;
  case CopyTable::backup_codes:
    return k_backup_codes;
  case CopyTable::audit:
    break;
  }
  return k_audit;
}

StoredValues stored_values(const Cells& cells, int count)
{
  StoredValues values;
  values.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    switch (cells.type(i)) {
    case Cells::Type::null:
      values.emplace_back(std::monostate{});
      break;
    case Cells::Type::integer:
      values.emplace_back(cells.integer(i));
      break;
    case Cells::Type::text:
      values.emplace_back(cells.text(i));
      break;
    case Cells::Type::blob:
      values.emplace_back(cells.blob(i));
      break;
    case Cells::Type::other:
      throw StorageError("a stored value of a type mfa never writes; restore the database from a backup");
    }
  }
  return values;
}

const char* audit_kind_text(AuditTarget kind)
{
  return kind == AuditTarget::option ? "option" : kind == AuditTarget::user ? "user" : "audit";
}

StorageError index_misses(const std::string& db_name, std::string_view name)
{
  return StorageError("database " + db_name + " is damaged: its index of user names misses user '"
                      + std::string(name) + "'; restore it from a backup");
}

} // namespace mfa::detail
