// SPDX-License-Identifier: MIT
#include "core/rules.hpp"
#include "storage/store.hpp"

#include <mfa/backup_codes.hpp>
#include <mfa/options.hpp>

#include <functional>

namespace mfa {

Outcome<BackupCodeSet> generate_backup_codes(Database& db, std::string_view name, std::string_view actor,
                                             const std::function<bool(int)>& replace_unused)
{
  using Result = Outcome<BackupCodeSet>;
  return detail::with_store(db, [&](detail::Store& impl) -> Result {
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
    const auto before = impl.find_user(name);
    if (auto refusal = check(early, before)) {
      return *refusal;
    }
    if (replace_unused) {
      const int unused = impl.count_backup_codes(before->id).unused;
      if (unused > 0 && !replace_unused(unused)) {
        return Result::failure(Status::rejected, "not confirmed; nothing changed", {before->name, {}});
      }
    }
    auto fresh = detail::make_backup_codes(early.backup_code_count, impl.random());
    auto transaction = impl.write();
    const Settings settings = detail::current_settings(impl);
    const auto user = impl.find_user(name);
    if (auto refusal = check(settings, user)) {
      return *refusal;
    }
    if (static_cast<int>(fresh.codes.size()) != settings.backup_code_count) {
      fresh = detail::make_backup_codes(settings.backup_code_count, impl.random());
    }
    impl.replace_backup_codes(user->id, fresh.hashes);
    detail::audit(impl, actor, "backup-codes.generate", detail::AuditTarget::user, user->name, std::nullopt,
                         std::to_string(fresh.codes.size()) + " codes");
    transaction.commit();
    return Result::success({user->name, fresh.codes});
  });
}

Outcome<BackupCodeStatus> backup_code_status(Database& db, std::string_view name)
{
  using Result = Outcome<BackupCodeStatus>;
  return detail::with_store(db, [&](detail::Store& impl) -> Result {
    auto snapshot = impl.read(); // the settings and the counts agree
    const Settings settings = detail::current_settings(impl);
    const auto user = impl.find_user(name);
    if (!user) {
      return Result::failure(Status::no_such_user, detail::no_such_user_message(name));
    }
    const auto counts = impl.count_backup_codes(user->id);
    BackupCodeStatus status{user->name, counts.unused, counts.used, false};
    status.usable = settings.backup_codes_enabled && status.remaining > 0
                    && user->enrollment == EnrollmentState::active;
    return Result::success(std::move(status));
  });
}

} // namespace mfa
