// SPDX-License-Identifier: MIT
#include "storage/audit_writer.hpp"
#include "storage/database_impl.hpp"
#include "storage/user_store.hpp"

#include <mfa/helpdesk.hpp>
#include <mfa/text.hpp>

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

namespace mfa {

namespace {

std::string lock_state(const User& user, std::int64_t now)
{
  if (detail::is_locked(user, now)) {
    return detail::lock_text(*user.locked_until);
  }
  return std::to_string(user.failed_attempts) + (user.failed_attempts == 1 ? " failure" : " failures");
}

// Runs `change` on the user in one write transaction. `change` returns
// false when there is nothing to do: then nothing is written, audit included.
template<typename Change>
Outcome<HelpdeskResult> change_user(Database& db, std::string_view name, const std::optional<std::string>& reason,
                                    Change change)
{
  using Result = Outcome<HelpdeskResult>;
  if (reason) {
    if (auto problem = text_problem("a reason", *reason)) {
      return Result::failure(Status::invalid, *problem);
    }
  }
  return detail::with_sql(db, [&](detail::DatabaseImpl& impl) {
    auto& sql = impl.sql();
    SQLite::Transaction transaction(sql, SQLite::TransactionBehavior::IMMEDIATE);
    const auto user = detail::load_user(impl, name);
    if (!user) {
      return Result::failure(Status::no_such_user, detail::no_such_user_message(name));
    }
    if (!change(impl, *user)) {
      return Result::success({*user, false});
    }
    auto after = *detail::load_user(impl, user->name);
    transaction.commit();
    return Result::success({std::move(after), true});
  });
}

void clear_lock(SQLite::Database& sql, const User& user)
{
  SQLite::Statement clear(sql, "UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE id = ?");
  clear.bind(1, static_cast<int64_t>(user.id));
  clear.exec();
}

} // namespace

Outcome<HelpdeskResult> reset_user(Database& db, std::string_view name, const std::optional<std::string>& reason,
                                   std::string_view actor)
{
  return change_user(db, name, reason, [&](detail::DatabaseImpl& impl, const User& user) {
    if (user.enrollment == EnrollmentState::none && user.failed_attempts == 0 && !user.locked_until) {
      return false;
    }
    auto& sql = impl.sql();
    for (const char* table : {"enrollments", "backup_codes"}) {
      SQLite::Statement remove(sql, std::string("DELETE FROM ") + table + " WHERE user_id = ?");
      remove.bind(1, static_cast<int64_t>(user.id));
      remove.exec();
    }
    clear_lock(sql, user);
    detail::append_audit(impl, actor, "reset", detail::AuditTarget::user, user.name,
                         std::string("enrollment ") + to_string(user.enrollment) + ", " + lock_state(user, impl.now()),
                         "enrollment none", reason);
    return true;
  });
}

Outcome<HelpdeskResult> unlock_user(Database& db, std::string_view name, const std::optional<std::string>& reason,
                                    std::string_view actor)
{
  return change_user(db, name, reason, [&](detail::DatabaseImpl& impl, const User& user) {
    if (user.failed_attempts == 0 && !detail::is_locked(user, impl.now())) {
      return false;
    }
    clear_lock(impl.sql(), user);
    detail::append_audit(impl, actor, "unlock", detail::AuditTarget::user, user.name, lock_state(user, impl.now()),
                         "unlocked", reason);
    return true;
  });
}

} // namespace mfa
