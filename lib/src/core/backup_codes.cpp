// SPDX-License-Identifier: MIT
#include "storage/audit_writer.hpp"
#include "storage/backup_code_store.hpp"
#include "storage/database_impl.hpp"
#include "storage/settings_store.hpp"
#include "storage/user_store.hpp"

#include <mfa/backup_codes.hpp>
#include <mfa/options.hpp>

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <functional>

namespace mfa {

namespace detail {

FreshBackupCodes make_backup_codes(int count, const RandomSource& random)
{
  FreshBackupCodes fresh;
  for (int i = 0; i < count; ++i) {
    fresh.codes.push_back(generate_backup_code(random));
    fresh.hashes.push_back(hash_backup_code(*normalize_backup_code(fresh.codes.back()), random));
  }
  return fresh;
}

void replace_backup_codes(DatabaseImpl& db, std::int64_t user_id, const FreshBackupCodes& fresh)
{
  auto& sql = db.sql();
  SQLite::Statement remove(sql, "DELETE FROM backup_codes WHERE user_id = ?");
  remove.bind(1, static_cast<int64_t>(user_id));
  remove.exec();
  SQLite::Statement insert(sql, "INSERT INTO backup_codes (user_id, iterations, salt, hash) VALUES (?, ?, ?, ?)");
  for (const auto& hash : fresh.hashes) {
    insert.bind(1, static_cast<int64_t>(user_id));
    insert.bind(2, hash.iterations);
    insert.bind(3, hash.salt.data(), static_cast<int>(hash.salt.size()));
    insert.bind(4, hash.hash.data(), static_cast<int>(hash.hash.size()));
    insert.exec();
    insert.reset();
  }
}

} // namespace detail

Outcome<BackupCodeSet> generate_backup_codes(Database& db, std::string_view name, std::string_view actor,
                                             const std::function<bool(int)>& replace_unused)
{
  using Result = Outcome<BackupCodeSet>;
  return detail::with_sql(db, [&](detail::DatabaseImpl& impl) -> Result {
    auto check = [&](const Settings& settings, const std::optional<User>& user) -> std::optional<Result> {
      if (!user) {
        return Result::failure(Status::no_such_user, detail::no_such_user_message(name));
      }
      if (!settings.backup_codes_enabled) {
        return Result::failure(Status::not_allowed,
                               "backup codes are disabled (enableMFABackupCodes is No); enable them first");
      }
      if (user->enrollment != EnrollmentState::active) {
        return Result::failure(Status::not_allowed, "user '" + user->name + "' is not enrolled");
      }
      return std::nullopt;
    };
    // The slow hashing happens before the write lock, on a first look; the
    // transaction then decides on what it sees.
    const Settings early = detail::current_settings(impl);
    const auto before = detail::load_user(impl, name);
    if (auto refusal = check(early, before)) {
      return *refusal;
    }
    if (replace_unused) {
      auto count = impl.statement("SELECT count(*) FROM backup_codes WHERE user_id = ? AND used_at IS NULL");
      count->bind(1, static_cast<int64_t>(before->id));
      const int unused = count->executeStep() ? count->getColumn(0).getInt() : 0;
      if (unused > 0 && !replace_unused(unused)) {
        return Result::failure(Status::rejected, "not confirmed; nothing changed", {before->name, {}});
      }
    }
    auto fresh = detail::make_backup_codes(early.backup_code_count, impl.random());
    SQLite::Transaction transaction(impl.sql(), SQLite::TransactionBehavior::IMMEDIATE);
    const Settings settings = detail::current_settings(impl);
    const auto user = detail::load_user(impl, name);
    if (auto refusal = check(settings, user)) {
      return *refusal;
    }
    if (static_cast<int>(fresh.codes.size()) != settings.backup_code_count) {
      fresh = detail::make_backup_codes(settings.backup_code_count, impl.random());
    }
    detail::replace_backup_codes(impl, user->id, fresh);
    detail::append_audit(impl, actor, "backup-codes.generate", detail::AuditTarget::user, user->name, std::nullopt,
                         std::to_string(fresh.codes.size()) + " codes");
    transaction.commit();
    return Result::success({user->name, fresh.codes});
  });
}

Outcome<BackupCodeStatus> backup_code_status(Database& db, std::string_view name)
{
  using Result = Outcome<BackupCodeStatus>;
  const Settings settings = load_settings(db);
  return detail::with_sql(db, [&](detail::DatabaseImpl& impl) -> Result {
    const auto user = detail::load_user(impl, name);
    if (!user) {
      return Result::failure(Status::no_such_user, detail::no_such_user_message(name));
    }
    SQLite::Statement query(impl.sql(), "SELECT count(*) - count(used_at), count(used_at) FROM backup_codes "
                                        "WHERE user_id = ?");
    query.bind(1, static_cast<int64_t>(user->id));
    query.executeStep();
    BackupCodeStatus status{user->name, query.getColumn(0).getInt(), query.getColumn(1).getInt(), false};
    status.usable = settings.backup_codes_enabled && status.remaining > 0
                    && user->enrollment == EnrollmentState::active;
    return Result::success(std::move(status));
  });
}

} // namespace mfa
