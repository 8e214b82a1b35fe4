// SPDX-License-Identifier: MIT
#include "audit_writer.hpp"
#include "backup_code_store.hpp"
#include "database_impl.hpp"
#include "text.hpp"
#include "user_store.hpp"

#include <mfa/base32.hpp>
#include <mfa/enrollment.hpp>
#include <mfa/otpauth.hpp>
#include <mfa/secret.hpp>

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <set>

namespace mfa {

namespace {

// Starts (or restarts) the pending enrollment of one user, inside the
// caller's transaction.
Outcome<EnrollmentStart> start_one(detail::DatabaseImpl& impl, const Settings& settings, std::string_view name,
                                   std::string_view actor)
{
  using Result = Outcome<EnrollmentStart>;
  auto& sql = impl.sql();
  const auto user = detail::load_user(impl, name);
  if (!user) {
    return Result::failure(Status::no_such_user, detail::no_such_user_message(name));
  }
  if (auto why = detail::mfa_unavailable(settings, *user)) {
    return Result::failure(Status::not_allowed, *why);
  }
  if (user->enrollment == EnrollmentState::active) {
    return Result::failure(Status::not_allowed, "user '" + user->name
                                                  + "' is already enrolled; to start again, reset the user first");
  }
  const TotpParams params{settings.algorithm, settings.digits, settings.period};
  const SecretBytes secret = generate_secret(impl.random());
  const auto sealed = seal_secret(impl.key().bytes(), user->id, secret.bytes(), impl.random());

  SQLite::Statement store(sql, R"sql(
    INSERT OR REPLACE INTO enrollments (user_id, state, secret, algorithm, digits, period, last_step, created_at)
    VALUES (?, 'pending', ?, ?, ?, ?, NULL, ?))sql");
  store.bind(1, static_cast<int64_t>(user->id));
  store.bind(2, sealed.data(), static_cast<int>(sealed.size()));
  store.bind(3, to_string(params.algorithm));
  store.bind(4, params.digits);
  store.bind(5, params.period);
  store.bind(6, static_cast<int64_t>(impl.now()));
  store.exec();
  detail::append_audit(impl, actor, "enroll", detail::AuditTarget::user, user->name, to_string(user->enrollment),
                       "pending");

  EnrollmentStart start;
  start.user = user->name;
  start.secret = base32_encode(secret.bytes());
  start.params = params;
  start.uri = build_otpauth_uri({settings.issuer, user->name, {secret.bytes().begin(), secret.bytes().end()}, params});
  return Result::success(std::move(start));
}

} // namespace

Outcome<EnrollmentStart> begin_enrollment(Database& db, std::string_view name, std::string_view actor)
{
  return detail::with_sql(db, [&](detail::DatabaseImpl& impl) {
    SQLite::Transaction transaction(impl.sql(), SQLite::TransactionBehavior::IMMEDIATE);
    const Settings settings = load_settings(db);
    auto outcome = start_one(impl, settings, name, actor);
    if (outcome.ok()) {
      transaction.commit();
    }
    return outcome;
  });
}

Outcome<BatchEnrollment> begin_enrollments(Database& db, const std::vector<std::string>& names, std::string_view actor)
{
  using Result = Outcome<BatchEnrollment>;
  return detail::with_sql(db, [&](detail::DatabaseImpl& impl) {
    SQLite::Transaction transaction(impl.sql(), SQLite::TransactionBehavior::IMMEDIATE);
    const Settings settings = load_settings(db);
    BatchEnrollment batch;
    std::set<std::string_view> seen;
    for (std::size_t i = 0; i < names.size(); ++i) {
      batch.failed_index = i;
      if (!seen.insert(names[i]).second) {
        return Result::failure(Status::invalid, "user '" + names[i] + "' is listed twice", std::move(batch));
      }
      auto one = start_one(impl, settings, names[i], actor);
      if (!one.ok()) {
        batch.started.clear(); // nothing is kept: the transaction rolls back
        return Result::failure(one.status, one.message, std::move(batch));
      }
      batch.started.push_back(std::move(one.value));
    }
    batch.failed_index = 0;
    transaction.commit();
    return Result::success(std::move(batch));
  });
}

Outcome<Confirmation> confirm_enrollment(Database& db, std::string_view name, std::string_view code,
                                         std::string_view actor)
{
  using Result = Outcome<Confirmation>;
  const std::string typed(detail::trim(code));
  if (typed.empty()) {
    return Result::failure(Status::invalid, "no code given");
  }
  const Settings settings = load_settings(db);
  // Backup codes are hashed before the write transaction: hashing is slow.
  std::optional<detail::FreshBackupCodes> fresh;
  return detail::with_sql(db, [&](detail::DatabaseImpl& impl) -> Result {
    auto& sql = impl.sql();
    {
      const auto user = detail::load_user(impl, name);
      if (user && user->enrollment == EnrollmentState::pending && settings.backup_codes_enabled) {
        fresh = detail::make_backup_codes(settings.backup_code_count, impl.random());
      }
    }
    SQLite::Transaction transaction(sql, SQLite::TransactionBehavior::IMMEDIATE);
    const auto user = detail::load_user(impl, name);
    if (!user) {
      return Result::failure(Status::no_such_user, detail::no_such_user_message(name));
    }
    if (auto why = detail::mfa_unavailable(settings, *user)) {
      return Result::failure(Status::not_allowed, *why);
    }
    if (user->enrollment == EnrollmentState::none) {
      return Result::failure(Status::not_allowed, "user '" + user->name + "' is not enrolled; run enroll first");
    }
    if (user->enrollment == EnrollmentState::active) {
      return Result::failure(Status::not_allowed, "user '" + user->name + "' is already enrolled and active");
    }
    const std::int64_t now = impl.now();
    if (detail::is_locked(*user, now)) {
      return Result::failure(Status::locked, "user '" + user->name + "' is locked out until "
                                               + format_rfc3339(*user->locked_until));
    }
    const auto enrollment = detail::load_enrollment(impl, user->id);
    const SecretBytes secret = open_secret(impl.key().bytes(), user->id, enrollment->sealed_secret);
    const auto match = verify_totp(secret.bytes(), typed, now, enrollment->params, settings.window);
    if (!match) {
      const auto locked_until =
        detail::record_failure(impl, *user, settings.max_failed_attempts, settings.lockout_minutes, now);
      detail::append_audit(impl, actor, "enroll.confirm", detail::AuditTarget::user, user->name, "pending",
                           locked_until ? "locked" : "pending", "wrong code");
      transaction.commit();
      return Result::failure(Status::rejected, "the code is wrong; the enrollment stays pending",
                             Confirmation{user->name, {}});
    }
    SQLite::Statement activate(sql, "UPDATE enrollments SET state = 'active', last_step = ?, activated_at = ? "
                                    "WHERE user_id = ?");
    activate.bind(1, static_cast<int64_t>(match->step));
    activate.bind(2, static_cast<int64_t>(now));
    activate.bind(3, static_cast<int64_t>(user->id));
    activate.exec();
    detail::clear_failures(impl, *user);
    Confirmation confirmation{user->name, {}};
    if (fresh) {
      detail::replace_backup_codes(impl, user->id, *fresh);
      confirmation.backup_codes = fresh->codes;
    }
    detail::append_audit(impl, actor, "enroll.confirm", detail::AuditTarget::user, user->name, "pending", "active");
    transaction.commit();
    return Result::success(std::move(confirmation));
  });
}

} // namespace mfa
