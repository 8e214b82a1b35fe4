// SPDX-License-Identifier: MIT
#include "core/rules.hpp"
#include "otp/totp.hpp"
#include "otp/code_input.hpp"
#include "storage/store.hpp"
#include "crypto/secret.hpp"

#include <mfa/base32.hpp>
#include <mfa/enrollment.hpp>
#include <mfa/otpauth.hpp>

#include <functional>
#include <set>

namespace mfa {

namespace {

// Starts (or restarts) the pending enrollment of one user, inside the
// caller's transaction.
Outcome<EnrollmentStart> start_one(detail::Store& impl, const Settings& settings, std::string_view name,
                                   std::string_view actor)
{
  using Result = Outcome<EnrollmentStart>;
  const auto user = impl.find_user(name);
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
  const auto sealed = detail::seal_for(impl, user->id, secret);

  impl.save_pending_enrollment(user->id, sealed, params);
  detail::audit(impl, actor, "enroll", detail::AuditTarget::user, user->name, to_string(user->enrollment),
                       "pending");

  EnrollmentStart start;
  start.user = user->name;
  start.secret = base32_encode(secret.bytes());
  start.params = params;
  start.uri = build_otpauth_uri({settings.issuer, user->name, {secret.bytes().begin(), secret.bytes().end()}, params});
  return Result::success(std::move(start));
}

} // namespace

Outcome<EnrollmentStart> begin_enrollment(Database& db, std::string_view name, std::string_view actor,
                                          const std::function<void(const EnrollmentStart&)>& deliver)
{
  return detail::with_store(db, [&](detail::Store& impl) {
    auto transaction = impl.write();
    const Settings settings = detail::current_settings(impl);
    auto outcome = start_one(impl, settings, name, actor);
    if (outcome.ok()) {
      if (deliver) {
        deliver(outcome.value()); // throws to roll back: nobody saw the secret
      }
      transaction.commit();
    }
    return outcome;
  });
}

Outcome<BatchEnrollment> begin_enrollments(Database& db, const std::vector<std::string>& names, std::string_view actor,
                                           const std::function<void(const BatchEnrollment&)>& deliver,
                                           const std::function<void(std::size_t, std::size_t)>& progress)
{
  using Result = Outcome<BatchEnrollment>;
  return detail::with_store(db, [&](detail::Store& impl) {
    auto transaction = impl.write();
    const Settings settings = detail::current_settings(impl);
    BatchEnrollment batch;
    std::set<std::string> seen; // the names as found, so " y" and "y" are one user
    for (std::size_t i = 0; i < names.size(); ++i) {
      batch.failed_index = i;
      auto one = start_one(impl, settings, names[i], actor);
      if (!one.ok()) {
        batch.started.clear(); // nothing is kept: the transaction rolls back
        return Result::failure(one.status, one.message, std::move(batch));
      }
      if (!seen.insert(one.value().user).second) {
        batch.started.clear();
        return Result::failure(Status::invalid, "user '" + one.value().user + "' is listed twice", std::move(batch));
      }
      batch.started.push_back(std::move(one).value());
      if (progress) {
        progress(i + 1, names.size());
      }
    }
    batch.failed_index = 0;
    if (deliver) {
      deliver(batch); // throws to roll back every user's enrollment
    }
    transaction.commit();
    return Result::success(std::move(batch));
  });
}

Outcome<EnrollmentStart> show_enrollment(Database& db, std::string_view name)
{
  using Result = Outcome<EnrollmentStart>;
  return detail::with_store(db, [&](detail::Store& impl) -> Result {
    // One read transaction: the settings, the user and the secret agree.
    auto snapshot = impl.read();
    const Settings settings = detail::current_settings(impl);
    const auto user = impl.find_user(name);
    if (!user) {
      return Result::failure(Status::no_such_user, detail::no_such_user_message(name));
    }
    if (auto why = detail::mfa_unavailable(settings, *user)) {
      return Result::failure(Status::not_allowed, *why);
    }
    if (user->enrollment != EnrollmentState::pending) {
      return Result::failure(Status::not_allowed,
                             user->enrollment == EnrollmentState::active
                               ? "user '" + user->name + "' is enrolled and active; an active secret is never shown again"
                               : "user '" + user->name + "' has no pending enrollment; start one with mfa enroll "
                                   + user->name);
    }
    const auto enrollment = impl.enrollment(user->id);
    const SecretBytes secret = detail::open_for(impl, user->id, enrollment->sealed_secret);
    EnrollmentStart start;
    start.user = user->name;
    start.secret = base32_encode(secret.bytes());
    start.params = enrollment->params;
    start.uri = build_otpauth_uri(
      {settings.issuer, user->name, {secret.bytes().begin(), secret.bytes().end()}, enrollment->params});
    return Result::success(std::move(start));
  });
}

Outcome<Confirmation> confirm_enrollment(Database& db, std::string_view name, std::string_view code,
                                         std::string_view actor)
{
  using Result = Outcome<Confirmation>;
  const detail::TypedCode typed = detail::classify_code(code);
  if (typed.kind == detail::CodeKind::empty) {
    return Result::failure(Status::invalid, "no code given");
  }
  return detail::with_store(db, [&](detail::Store& impl) -> Result {
    // Backup codes are hashed before the write transaction (hashing is
    // slow), when the user looks like needing them; the transaction decides.
    std::optional<detail::FreshBackupCodes> fresh;
    {
      const Settings early = detail::current_settings(impl);
      const auto user = impl.find_user(name);
      if (user && user->enrollment == EnrollmentState::pending && early.backup_codes_enabled) {
        fresh = detail::make_backup_codes(early.backup_code_count, impl.random());
      }
    }
    auto transaction = impl.write();
    const Settings settings = detail::current_settings(impl);
    const auto user = impl.find_user(name);
    if (!user) {
      return Result::failure(Status::no_such_user, detail::no_such_user_message(name));
    }
    Confirmation confirmation{user->name, user->enrollment, {}};
    if (auto why = detail::mfa_unavailable(settings, *user)) {
      return Result::failure(Status::not_allowed, *why, confirmation);
    }
    if (user->enrollment == EnrollmentState::none) {
      return Result::failure(Status::not_allowed, "user '" + user->name + "' is not enrolled; run enroll first",
                             confirmation);
    }
    if (user->enrollment == EnrollmentState::active) {
      return Result::failure(Status::not_allowed, "user '" + user->name + "' is already enrolled and active",
                             confirmation);
    }
    const std::int64_t now = impl.now();
    if (detail::is_locked(*user, now)) {
      detail::audit(impl, actor, "enroll.confirm", detail::AuditTarget::user, user->name, "pending",
                           "refused; " + detail::lock_text(*user->locked_until), "locked");
      transaction.commit();
      confirmation.reason = RejectReason::locked;
      return Result::failure(Status::locked, "user '" + user->name + "' is " + detail::lock_text(*user->locked_until),
                             confirmation);
    }
    const auto enrollment = impl.enrollment(user->id);
    std::optional<TotpMatch> match;
    if (typed.kind == detail::CodeKind::totp
        && typed.text.size() == static_cast<std::size_t>(enrollment->params.digits)) {
      const SecretBytes secret = detail::open_for(impl, user->id, enrollment->sealed_secret);
      match = verify_totp(secret.bytes(), typed.text, now, enrollment->params, settings.window);
    }
    if (!match) {
      const auto locked_until = detail::record_failure(impl, *user, settings, now);
      const char* why = typed.kind == detail::CodeKind::totp ? "wrong code" : "malformed code";
      detail::audit(impl, actor, "enroll.confirm", detail::AuditTarget::user, user->name, "pending",
                           locked_until ? "locked" : "pending", why);
      transaction.commit();
      std::string message = std::string("the code is ") + (typed.kind == detail::CodeKind::totp ? "wrong" : "malformed")
                            + "; the enrollment stays pending";
      if (locked_until) {
        message += "; too many failures: " + detail::lock_text(*locked_until);
      }
      confirmation.reason = typed.kind == detail::CodeKind::totp ? RejectReason::wrong_code : RejectReason::malformed;
      return Result::failure(Status::rejected, message, confirmation);
    }
    impl.activate_enrollment(user->id, match->step);
    detail::clear_failures(impl, *user);
    confirmation.state = EnrollmentState::active;
    if (settings.backup_codes_enabled) {
      // Made now only when the settings changed since the look before the lock.
      if (!fresh || static_cast<int>(fresh->codes.size()) != settings.backup_code_count) {
        fresh = detail::make_backup_codes(settings.backup_code_count, impl.random());
      }
      impl.replace_backup_codes(user->id, fresh->hashes);
      confirmation.backup_codes = fresh->codes;
    }
    detail::audit(impl, actor, "enroll.confirm", detail::AuditTarget::user, user->name, "pending", "active");
    transaction.commit();
    return Result::success(std::move(confirmation));
  });
}

} // namespace mfa
